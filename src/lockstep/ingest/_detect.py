"""Opening files (transparently decompressed) and telling which format they are."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from zlib import error as zlib_error

from lockstep.errors import LockstepError, UnknownFormatError, UnreadableFileError
from lockstep.ingest._base import READERS, SAMPLE_BYTES, Reader, Sample

__all__ = ["SourceFile", "detect_format", "open_source"]

_COMPRESSED_SUFFIXES = (".gz", ".gzip", ".zst", ".zstd", ".bz2", ".xz")
# Data that expands to more than this many times its compressed size (and past _BOMB_FLOOR bytes)
# is treated as a compression bomb: real exports compress 5-30 times, a bomb thousands of times.
_MAX_ZIP_RATIO = 200
_BOMB_FLOOR = 10**8
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
    """The readable streams in ``path``: the file itself, decompressed, or each member of a zip or tar.

    Compression is recognised by its magic bytes, not the file name; a tar is recognised inside
    any compression (``.tar.gz``, ``.tar.zst``, ...). Raises UnreadableFileError when the file is
    missing or unreadable, or an archive member is unsafe (path traversal, link, device, bomb).
    A decompressed stream raises UnreadableFileError when it is damaged, truncated or followed by
    trailing garbage, or when it expands like a compression bomb.
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
    decompress: Callable[[], IO[bytes]] | None = None
    if magic[:2] == b"\x1f\x8b":
        decompress = lambda: gzip.open(path, "rb")  # noqa: E731, SIM115
    elif magic[:4] == b"\x28\xb5\x2f\xfd":
        decompress = lambda: _zstd_open(path)  # noqa: E731
    elif magic[:3] == b"BZh":
        decompress = lambda: bz2.open(path, "rb")  # noqa: E731, SIM115
    elif magic[:6] == b"\xfd7zXZ\x00":
        decompress = lambda: lzma.open(path, "rb")  # noqa: E731, SIM115
    elif magic[:4] == b"PK\x03\x04":
        return _zip_members(path)
    if decompress is None:
        def plain() -> IO[bytes]:
            return open(path, "rb")

        if _is_tar(path, plain):
            return _tar_members(path, plain, size)
        return [SourceFile(path, base, plain, size)]

    def guarded() -> IO[bytes]:
        return io.BufferedReader(_Decompressed(path, decompress(), size), 1 << 16)

    if _is_tar(path, guarded):
        return _tar_members(path, guarded, size)
    return [SourceFile(path, _strip_compression(base), guarded, size)]


class _Decompressed(io.RawIOBase):
    """A decompressed stream that reports damage as UnreadableFileError and stops compression bombs.

    Bounded by bytes out versus bytes in, checked as it reads, so a bomb is stopped after at most
    ``max(_BOMB_FLOOR, _MAX_ZIP_RATIO × size)`` bytes whatever its headers claim.
    """

    def __init__(self, path: str, inner: IO[bytes], compressed_size: int):
        self._path, self._inner, self._size = path, inner, compressed_size
        self._limit = max(_BOMB_FLOOR, _MAX_ZIP_RATIO * compressed_size)
        self.n = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        try:
            data = self._inner.read(len(b))
        except gzip.BadGzipFile as e:
            # The first member's magic was checked before opening: a bad magic now is what
            # follows the last complete member.
            if "Not a gzipped file" in str(e):
                raise UnreadableFileError(
                    f"{self._path}: the gzip data is followed by bytes that are not gzip (trailing garbage, "
                    f"{e}); the file is damaged: recompress it, or cut the garbage off"
                ) from None
            raise UnreadableFileError(f"{self._path}: not a valid gzip file: {e}") from None
        except EOFError:
            raise UnreadableFileError(
                f"{self._path}: the compressed file is truncated (its data ends before the end-of-stream "
                "marker); download or copy it again"
            ) from None
        except (OSError, lzma.LZMAError, zlib_error) as e:
            raise UnreadableFileError(f"{self._path}: cannot decompress: {e}") from None
        except Exception as e:  # zstandard raises its own ZstdError
            if type(e).__name__ == "ZstdError":
                raise UnreadableFileError(f"{self._path}: cannot decompress: {e}") from None
            raise
        n = len(data)
        self.n += n
        if self.n > self._limit:
            raise UnreadableFileError(
                f"{self._path}: expands past {self.n:,} bytes from {self._size:,} compressed "
                "(looks like a compression bomb); decompress it yourself if it is genuine"
            )
        b[:n] = data
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def _is_tar(path: str, opener: Callable[[], IO[bytes]]) -> bool:
    """Whether the (decompressed) stream starts with a POSIX/GNU tar header."""
    try:
        with opener() as f:
            head = f.read(512)
    except (LockstepError, OSError, EOFError, lzma.LZMAError):
        return False  # damage is reported when the stream is read as a file
    except Exception as e:
        if type(e).__name__ == "ZstdError":
            return False
        raise
    return len(head) == 512 and head[257:262] == b"ustar"


def _tar_members(path: str, opener: Callable[[], IO[bytes]], size: int) -> list[SourceFile]:
    """The regular files of a tar archive, after refusing unsafe members (the checks of zip, plus
    links, devices and sparse files, which an archive of exports never needs)."""
    out = []
    total = 0
    index = 0
    try:
        with opener() as f, tarfile.open(fileobj=f, mode="r|") as tf:
            for info in tf:
                name = info.name
                parts = name.replace("\\", "/").split("/")
                if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                    raise UnreadableFileError(f"{path}: tar member {name!r} has an unsafe path")
                if info.isdir():
                    continue
                if not info.isreg() or info.issparse():
                    kind = ("symbolic link" if info.issym() else "hard link" if info.islnk()
                            else "sparse file" if info.issparse() else "device or fifo")
                    raise UnreadableFileError(
                        f"{path}: tar member {name!r} is a {kind}; only regular files are read from archives"
                    )
                total += info.size
                if info.size > _MAX_ZIP_MEMBER or (total > _BOMB_FLOOR and total > _MAX_ZIP_RATIO * size):
                    raise UnreadableFileError(
                        f"{path}: tar member {name!r} brings the archive to {total:,} bytes from {size:,} on "
                        "disk (looks like a compression bomb); extract it yourself if it is genuine"
                    )
                index += 1
                if parts[-1].startswith(".") or parts[0] == "__MACOSX" or "/._" in f"/{name}":
                    continue

                def member_opener(i: int = index) -> IO[bytes]:
                    return _tar_member_stream(path, opener, i)

                out.append(SourceFile(f"{path}!{name}", _strip_compression(parts[-1]), member_opener, info.size))
    except tarfile.TarError as e:
        raise UnreadableFileError(f"{path}: not a readable tar archive: {e}") from None
    return sorted(out, key=lambda s: s.path)


def _tar_member_stream(path: str, opener: Callable[[], IO[bytes]], index: int) -> IO[bytes]:
    """The ``index``-th regular member (1-based), streamed: the archive is read from the start."""
    f = opener()
    try:
        tf = tarfile.open(fileobj=f, mode="r|")  # noqa: SIM115 - closed with the member stream
        n = 0
        for info in tf:
            if info.isreg():
                n += 1
                if n == index:
                    member = tf.extractfile(info)
                    assert member is not None
                    return _ZipMemberStream(_Closing(tf, f), member)  # type: ignore[arg-type]
    except tarfile.TarError as e:
        f.close()
        raise UnreadableFileError(f"{path}: not a readable tar archive: {e}") from None
    f.close()
    raise UnreadableFileError(f"{path}: tar member {index} disappeared while reading")


class _Closing:
    """Closes a tar archive and the stream under it."""

    def __init__(self, tf: tarfile.TarFile, f: IO[bytes]):
        self._tf, self._f = tf, f

    def close(self) -> None:
        try:
            self._tf.close()
        finally:
            self._f.close()


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
    if not sample.text.strip():
        raise UnknownFormatError(f"{path}: the file is empty")
    scores = sorted(((cls.sniff(sample), name) for name, cls in READERS.items()), key=lambda s: (-s[0], s[1]))
    if not scores or scores[0][0] < 0.5:
        raise UnknownFormatError(
            f"{path}: format not recognised; name one with --format "
            f"({', '.join(sorted(READERS))}), or map a generic table's columns with --map"
        )
    return READERS[scores[0][1]]
