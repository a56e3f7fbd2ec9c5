"""The canonical tables: the one data contract every stage of lockstep reads and writes.

Every reader in :mod:`lockstep.ingest` turns its source format into rows of these tables;
every detector reads them back from the workspace. The account key is ``(platform, account_id)``
everywhere; the post key is ``(platform, post_id)``.

The field lists below are the single source of truth: ``docs/schema.md`` is generated from them
(``python -m lockstep.schema``) and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "ACCOUNTS",
    "ACCOUNT_FIELDS",
    "KINDS",
    "LIST_FIELDS",
    "POSTS",
    "POST_FIELDS",
    "REJECTED",
    "SOURCES",
    "Field",
    "schema_markdown",
]

TIMESTAMP = pa.timestamp("us", tz="UTC")

#: What a post is. An article with a byline is a post of kind ``article``.
KINDS = ("post", "repost", "reply", "quote", "article")


@dataclass(frozen=True)
class Field:
    """One column of a canonical table."""

    name: str
    type: pa.DataType
    doc: str
    required: bool = False

    def arrow(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=not self.required)


POST_FIELDS: tuple[Field, ...] = (
    Field("platform", pa.string(), "Where it was posted: twitter, telegram, mastodon, bluesky, "
          "facebook, reddit, web, ... (lower case).", required=True),
    Field("post_id", pa.string(), "The platform's id of the post, as a string. Sources without ids "
          "get a stable content hash prefixed `h:`.", required=True),
    Field("account_id", pa.string(), "The platform's id of the author (for bylines: the author "
          "name as written).", required=True),
    Field("created_at", TIMESTAMP, "When it was posted, UTC, microseconds.", required=True),
    Field("kind", pa.string(), "One of post, repost, reply, quote, article.", required=True),
    Field("text", pa.string(), "The text exactly as the source gave it (HTML unescaped for "
          "HTML sources)."),
    Field("text_norm", pa.string(), "Text normalised for exact matching: NFKC, case-folded, "
          "RT prefix, URLs and mentions removed, whitespace collapsed."),
    Field("lang", pa.string(), "Language code as the source gave it."),
    Field("repost_of", pa.string(), "post_id of the reposted/forwarded post, when known."),
    Field("repost_of_account", pa.string(), "account_id of the reposted/forwarded post's author."),
    Field("reply_to", pa.string(), "post_id of the post replied to."),
    Field("reply_to_account", pa.string(), "account_id of the author replied to."),
    Field("quote_of", pa.string(), "post_id of the quoted post."),
    Field("urls", pa.list_(pa.string()), "Normalised URLs (expanded where the source gives the "
          "expansion): lower-case scheme and host, no default port, fragment or tracking "
          "parameters."),
    Field("domains", pa.list_(pa.string()), "Registered domain of each URL (public-suffix aware)."),
    Field("hashtags", pa.list_(pa.string()), "Hashtags without `#`, NFKC, case-folded."),
    Field("mentions", pa.list_(pa.string()), "Mentioned handles without `@`, NFKC, case-folded."),
    Field("media", pa.list_(pa.string()), "Media identifiers: a content hash where the source has "
          "one, else the media URL or id."),
    Field("client", pa.string(), "The posting client/app (Twitter `source`), when known."),
    Field("venue", pa.string(), "Where inside the platform: channel, group, subreddit, page, "
          "outlet."),
    Field("title", pa.string(), "Title (articles, submissions)."),
    Field("post_url", pa.string(), "Permalink of the post, when known."),
    Field("source_file", pa.string(), "File the row was read from.", required=True),
    Field("source_line", pa.int64(), "Line (text formats) or record index (JSON arrays, "
          "Parquet), 1-based."),
)

ACCOUNT_FIELDS: tuple[Field, ...] = (
    Field("platform", pa.string(), "As in posts.", required=True),
    Field("account_id", pa.string(), "As in posts.", required=True),
    Field("handle", pa.string(), "Screen name / username, without `@`."),
    Field("display_name", pa.string(), "Display name."),
    Field("bio", pa.string(), "Profile description."),
    Field("created_at", TIMESTAMP, "When the account was created, UTC."),
    Field("location", pa.string(), "Self-reported location."),
    Field("url", pa.string(), "Profile URL field."),
    Field("followers", pa.int64(), "Follower count at observation time."),
    Field("following", pa.int64(), "Following count at observation time."),
    Field("posts_count", pa.int64(), "Number of posts the platform reported."),
    Field("profile_image", pa.string(), "Profile image URL or hash."),
    Field("verified", pa.bool_(), "Platform verification flag."),
    Field("lang", pa.string(), "Account language setting."),
    Field("observed_at", TIMESTAMP, "When this snapshot of the profile was observed (the post "
          "time it came with, or the export time)."),
    Field("source_file", pa.string(), "File the observation was read from.", required=True),
    Field("source_line", pa.int64(), "Line or record index, 1-based."),
)

REJECTED_FIELDS: tuple[Field, ...] = (
    Field("source_file", pa.string(), "File the record came from.", required=True),
    Field("source_line", pa.int64(), "Line or record index, 1-based (null when unknown)."),
    Field("format", pa.string(), "Format the file was read as."),
    Field("field", pa.string(), "The field at fault (null when the whole record is)."),
    Field("reason", pa.string(), "Why it was rejected, in words.", required=True),
    Field("raw", pa.string(), "The record as read (text), so nothing is lost."),
)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("source_id", pa.string(), "SHA-256 of the file's bytes.", required=True),
    Field("path", pa.string(), "Path as given.", required=True),
    Field("format", pa.string(), "Format it was read as.", required=True),
    Field("platform", pa.string(), "Platform its rows were assigned."),
    Field("n_read", pa.int64(), "Records read.", required=True),
    Field("n_accepted", pa.int64(), "Records stored.", required=True),
    Field("n_duplicates", pa.int64(), "Records already in the workspace (same key).",
          required=True),
    Field("n_rejected", pa.int64(), "Records rejected (see the rejected table).", required=True),
    Field("ingested_at", TIMESTAMP, "When the ingest finished.", required=True),
)


def _schema(fields: tuple[Field, ...]) -> pa.Schema:
    return pa.schema([f.arrow() for f in fields])


POSTS = _schema(POST_FIELDS)
ACCOUNTS = _schema(ACCOUNT_FIELDS)
REJECTED = _schema(REJECTED_FIELDS)
SOURCES = _schema(SOURCE_FIELDS)

#: Post columns that hold lists of strings.
LIST_FIELDS = tuple(f.name for f in POST_FIELDS if pa.types.is_list(f.type))

TABLES: dict[str, tuple[Field, ...]] = {
    "posts": POST_FIELDS,
    "accounts": ACCOUNT_FIELDS,
    "rejected": REJECTED_FIELDS,
    "sources": SOURCE_FIELDS,
}


def _type_name(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"list of {_type_name(t.value_type)}"
    if pa.types.is_timestamp(t):
        return "timestamp (UTC, µs)"
    return {"string": "string", "int64": "integer", "bool": "boolean"}.get(str(t), str(t))


def schema_markdown() -> str:
    """The canonical schema as Markdown (the body of docs/schema.md)."""
    out = [
        "# The canonical schema",
        "",
        "Generated from `src/lockstep/schema.py` by `python -m lockstep.schema`; do not edit by hand.",
        "",
    ]
    for table, fields in TABLES.items():
        out += [f"## {table}", "", "| column | type | required | meaning |", "| --- | --- | --- | --- |"]
        for f in fields:
            out.append(f"| `{f.name}` | {_type_name(f.type)} | {'yes' if f.required else ''} | {f.doc} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(schema_markdown(), end="")
