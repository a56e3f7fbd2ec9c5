"""Reuse: identical or near-identical bios, display names and profile images across accounts.

"Near-identical" means the same *skeleton*: the letters left after case folding, accent
stripping and removing digits, punctuation, emoji, URLs and whitespace. Template bios that differ
only by a number, an emoji or spacing ("Proud American 🇺🇸 #MAGA 47" / "proud american #maga")
share a skeleton. Images match exactly on their hash or URL; default avatars never count.
"""

from __future__ import annotations

#: Shortest skeleton that counts (shorter ones, such as "hi" or initials, collide by chance).
MIN_BIO_LETTERS = 10
MIN_NAME_LETTERS = 3

# The skeleton in SQL: strip accents, fold case, drop URLs, keep only letters a–z and non-Latin
# letters (Cyrillic, Arabic, ...), which are what a template keeps.
_SKELETON = (
    "regexp_replace(regexp_replace(lower(strip_accents({col})), 'https?://\\S+', '', 'g'), "
    "'[^\\p{{L}}]', '', 'g')"
)


def reuse_sql() -> str:
    """Per account: how many other accounts share its bio / display-name skeleton or image."""
    bio = _SKELETON.format(col="bio")
    name = _SKELETON.format(col="display_name")
    return f"""
WITH a AS (
  SELECT platform, account_id,
         CASE WHEN length({bio}) >= {MIN_BIO_LETTERS} THEN {bio} END AS bio_key,
         CASE WHEN length({name}) >= {MIN_NAME_LETTERS} THEN {name} END AS name_key,
         CASE WHEN profile_image IS NULL OR profile_image = ''
                   OR regexp_matches(lower(profile_image), 'default_profile|default-avatar|/default\\.|avatar_default')
              THEN NULL ELSE profile_image END AS image_key
  FROM accounts
)
SELECT platform, account_id, bio_key, name_key, image_key,
       CASE WHEN bio_key IS NULL THEN NULL ELSE count(*) OVER (PARTITION BY bio_key) - 1 END AS bio_shared,
       CASE WHEN name_key IS NULL THEN NULL ELSE count(*) OVER (PARTITION BY name_key) - 1 END
         AS display_name_shared,
       CASE WHEN image_key IS NULL THEN NULL ELSE count(*) OVER (PARTITION BY image_key) - 1 END
         AS image_shared
FROM a
"""
