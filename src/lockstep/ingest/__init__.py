"""Ingest: real exports in, canonical rows out.

One module per source format lives in ``lockstep/ingest/formats/``; each registers its
:class:`Reader` with :func:`register_reader`. :func:`detect_format` picks the reader for a file.
"""

from __future__ import annotations

import importlib
import pkgutil

from lockstep.ingest._base import (
    READERS,
    FieldError,
    Reader,
    Record,
    Rejection,
    Sample,
    build_account,
    build_post,
    register_reader,
)
from lockstep.ingest._normalize import (
    content_id,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    normalize_tag,
    normalize_text,
    normalize_url,
    parse_bool,
    parse_int,
    parse_list_field,
    parse_timestamp,
    registered_domain,
)


def _load_formats() -> None:
    from lockstep.ingest import formats

    for mod in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{formats.__name__}.{mod.name}")


_load_formats()

from lockstep.ingest._detect import detect_format, open_source  # noqa: E402
from lockstep.ingest._driver import IngestResult, ingest_file  # noqa: E402

__all__ = [
    "READERS",
    "FieldError",
    "IngestResult",
    "Reader",
    "Record",
    "Rejection",
    "Sample",
    "build_account",
    "build_post",
    "content_id",
    "detect_format",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "ingest_file",
    "normalize_tag",
    "normalize_text",
    "normalize_url",
    "open_source",
    "parse_bool",
    "parse_int",
    "parse_list_field",
    "parse_timestamp",
    "register_reader",
    "registered_domain",
]


class _CallableModule(__import__("types").ModuleType):
    """``lockstep.ingest(paths, workspace=...)`` is the verb; ``lockstep.ingest.READERS`` etc. the package."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from lockstep.workspace import ingest

        return ingest(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
