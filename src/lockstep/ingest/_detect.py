"""Opening files (transparently decompressed) and telling which format they are."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from lockstep.errors import UnknownFormatError, UnreadableFileError
from lockstep.ingest._base import READERS, SAMPLE_BYTES, Reader, Sample

__all__ = ["SourceFile", "detect_format", "open_source"]

_COMPRESSED_SUFFIXES = (".gz", ".gzip", ".zst", ".zstd", ".bz2", ".xz")
# A zip member larger than this many times its compressed size is treated as a bomb.
_MAX_ZIP_RATIO = 200
_MAX_ZIP_MEMBER = 64 * 1024**3


@dataclass
class SourceFile:
    """One readable stream: a plain file, a compressed file, or one member of a zip archive."""

    path: str  # what users see: "a.zip!tweets.jsonl" for a member
    name: str  # the file name without compression suffixes
    opener: Callable[[], IO[bytes]]
    size: int  # bytes on disk (compressed), for progress

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        f = self.opener()
        try:
            yield f
        finally:
            f.close()

    def sample(self) -> Sample:
        try:
            with self.open() as f:
                head = f.read(SAMPLE_BYTES)
        except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as e:
            raise UnreadableFileError(f"{self.path}: cannot read: {e}") from None
        except Exception as e:  # zstandard raises its own ZstdError
            if type(e).__name__ == "ZstdError":
                raise UnreadableFileError(f"{self.path}: cannot decompress: {e}") from None
            raise
        return Sample(name=self.name, head=head)


def _strip_compression(name: str) -> str:
    lower = name.lower()
    for suffix in _COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _zstd_open(path: str) -> IO[bytes]:
    import zstandard

    fh = open(path, "rb")  # noqa: SIM115 - closed by the stream reader below
    return zstandard.ZstdDecompressor().stream_reader(fh, closefd=True)  # type: ignore[return-value]


def open_source(path: str) -> list[SourceFile]:
    """The readable streams in ``path``: the file itself, decompressed, or each member of a zip.

    Compression is recognised by its magic bytes, not the file name. Raises UnreadableFileError
    when the file is missing or unreadable, or a zip member is unsafe (path traversal, bomb).
    """
    if not os.path.exists(path):
        raise UnreadableFileError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UnreadableFileError(f"{path}: is a directory")
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            magic = f.read(6)
    except OSError as e:
        raise UnreadableFileError(f"{path}: cannot read: {e.strerror or e}") from None
    base = os.path.basename(path)
    if magic[:2] == b"\x1f\x8b":
        return [SourceFile(path, _strip_compression(base), lambda: gzip.open(path, "rb"), size)]
    if magic[:4] == b"\x28\xb5\x2f\xfd":
        return [SourceFile(path, _strip_compression(base), lambda: _zstd_open(path), size)]
    if magic[:3] == b"BZh":
        return [SourceFile(path, _strip_compression(base), lambda: bz2.open(path, "rb"), size)]
    if magic[:6] == b"\xfd7zXZ\x00":
        return [SourceFile(path, _strip_compression(base), lambda: lzma.open(path, "rb"), size)]
    if magic[:4] == b"PK\x03\x04":
        return _zip_members(path)
    return [SourceFile(path, base, lambda: open(path, "rb"), size)]


def _zip_members(path: str) -> list[SourceFile]:
    try:
        zf = zipfile.ZipFile(path)
        infos = [i for i in zf.infolist() if not i.is_dir()]
        zf.close()
    except (zipfile.BadZipFile, OSError) as e:
        raise UnreadableFileError(f"{path}: not a readable zip archive: {e}") from None
    out = []
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise UnreadableFileError(f"{path}: zip member {name!r} has an unsafe path")
        if info.file_size > _MAX_ZIP_MEMBER or (
            info.compress_size and info.file_size / info.compress_size > _MAX_ZIP_RATIO and info.file_size > 10**8
        ):
            raise UnreadableFileError(
                f"{path}: zip member {name!r} expands {info.compress_size:,} → {info.file_size:,} bytes "
                "(looks like a compression bomb); extract it yourself if it is genuine"
            )
        if parts[-1].startswith(".") or parts[0] == "__MACOSX":
            continue

        def opener(member: str = name) -> IO[bytes]:
            zf = zipfile.ZipFile(path)
            return _ZipMemberStream(zf, zf.open(member))

        out.append(SourceFile(f"{path}!{name}", _strip_compression(parts[-1]), opener, info.compress_size))
    return out


class _ZipMemberStream:
    """A zip member's stream that also closes its archive."""

    def __init__(self, zf: zipfile.ZipFile, stream: IO[bytes]):
        self._zf, self._stream = zf, stream

    def read(self, n: int = -1) -> bytes:
        return self._stream.read(n)

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:
        data = self._stream.read(len(b))
        b[: len(data)] = data
        return len(data)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def readline(self, size: int = -1) -> bytes:
        return self._stream.readline(size)

    @property
    def closed(self) -> bool:
        return self._stream.closed

    def close(self) -> None:
        self._stream.close()
        self._zf.close()

    def flush(self) -> None:
        pass

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False


def detect_format(sample: Sample, path: str, format: str | None = None) -> type[Reader]:
    """The reader for a file: the one named by ``format``, else the most confident sniffer.

    Raises UnknownFormatError when ``format`` is unknown or no reader is at least 50% sure.
    """
    if format:
        if format not in READERS:
            raise UnknownFormatError(
                f"unknown format {format!r}; known formats: {', '.join(sorted(READERS))}"
            )
        return READERS[format]
    if not sample.head.strip():
        raise UnknownFormatError(f"{path}: the file is empty")
    scores = sorted(((cls.sniff(sample), name) for name, cls in READERS.items()), key=lambda s: (-s[0], s[1]))
    if not scores or scores[0][0] < 0.5:
        raise UnknownFormatError(
            f"{path}: format not recognised; name one with --format "
            f"({', '.join(sorted(READERS))}), or map a generic table's columns with --map"
        )
    return READERS[scores[0][1]]
