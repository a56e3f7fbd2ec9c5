"""Bad inputs too large or too binary to commit, generated at run time (see tests/data/bad/README.md)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
HEADER = "platform,post_id,account_id,created_at,text\n"
GOOD_CSV = (HEADER + "twitter,1,a1,2024-03-01T10:00:00Z,hello\ntwitter,2,a2,2024-03-01T10:01:00Z,world\n").encode()
BIG = 50 * 1024 * 1024  # the "50 MB single line"
BOMB = 150 * 1024 * 1024  # past the 100 MB floor of the bomb guard, compressed about 1000 times


def _post(i: int, text: str) -> str:
    return json.dumps({"platform": "twitter", "post_id": str(i), "account_id": f"a{i}",
                       "created_at": "2024-03-01T10:00:00Z", "text": text})


def zeros_deflated(n: int) -> bytes:
    """``n`` zero bytes as a raw zlib stream, made without holding ``n`` bytes in memory."""
    c = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    return b"".join(c.compress(chunk) for _ in range(n >> 20)) + c.flush()


def big_line_jsonl(p: Path) -> None:
    p.write_text(_post(1, "x" * BIG) + "\n" + _post(2, "small") + "\n")


def big_line_not_json(p: Path) -> None:
    p.write_text(_post(1, "small") + "\n{" + "x" * BIG + "\n" + _post(3, "after") + "\n")


def big_cell_csv(p: Path) -> None:
    p.write_text(HEADER + "twitter,1,a1,2024-03-01T10:00:00Z," + "y" * BIG + "\ntwitter,2,a2,2024-03-01T10:01:00Z,ok\n")


def gzip_trailing_garbage(p: Path) -> None:
    p.write_bytes(gzip.compress(GOOD_CSV) + b"GARBAGE\x00\x01 not gzip")


def gzip_truncated(p: Path) -> None:
    rows = "".join(f"twitter,{i},a{i},2024-03-01T10:00:00Z,{i * 7919 % 104729} {i}\n" for i in range(5000))
    z = gzip.compress((HEADER + rows).encode())
    p.write_bytes(z[: len(z) // 2])


def gzip_bomb(p: Path) -> None:
    """A CSV that detects as one (a real header), then 150 MB of one row repeated: ~1000× compression."""
    row = b"twitter,1,a1,2024-03-01T10:00:00Z,again\n"
    block = row * ((1 << 20) // len(row))
    with gzip.open(p, "wb", compresslevel=9) as gz:
        gz.write(HEADER.encode())
        for _ in range(BOMB // len(block) + 1):
            gz.write(block)


def _zip(p: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def zip_traversal(p: Path) -> None:
    _zip(p, {"posts.csv": GOOD_CSV, "../../evil.csv": GOOD_CSV})


def zip_absolute(p: Path) -> None:
    _zip(p, {"/tmp/evil.csv": GOOD_CSV})


def zip_bomb(p: Path) -> None:
    # Written member by member from a stream so the 150 MB never sits in memory.
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, zf.open("zeros.csv", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(BOMB >> 20):
            f.write(chunk)


def _tar(p: Path, entries: list[tuple[tarfile.TarInfo, bytes | None]], mode: str = "w") -> None:
    with tarfile.open(p, mode) as tf:
        for info, data in entries:
            if data is not None:
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data is not None else None)


def _reg(name: str, data: bytes = GOOD_CSV) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def tar_traversal(p: Path) -> None:
    _tar(p, [_reg("posts.csv"), _reg("../../evil.csv")])


def tar_symlink(p: Path) -> None:
    link = tarfile.TarInfo("passwd.csv")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    _tar(p, [_reg("posts.csv"), (link, None)], "w:gz")


def tar_device(p: Path) -> None:
    dev = tarfile.TarInfo("console.csv")
    dev.type, dev.devmajor, dev.devminor = tarfile.CHRTYPE, 5, 1
    _tar(p, [(dev, None)])


def tar_bomb(p: Path) -> None:
    # A .tar.gz whose one member is 150 MB of zeros: the header claims the size before any data.
    with gzip.open(p, "wb", compresslevel=9) as gz, tarfile.open(fileobj=gz, mode="w") as tf:
        info = tarfile.TarInfo("zeros.csv")
        info.size = BOMB

        class Zeros(io.RawIOBase):
            left = BOMB

            def readinto(self, b):
                n = min(len(b), self.left)
                b[:n] = bytes(n)
                self.left -= n
                return n

        tf.addfile(info, Zeros())


def tar_good(p: Path) -> None:
    other = (HEADER + "twitter,3,a3,2024-03-01T10:02:00Z,third\n").encode()
    folder = tarfile.TarInfo("dir")
    folder.type = tarfile.DIRTYPE
    _tar(p, [(folder, None), _reg("dir/b.csv", other), _reg("a.csv")], "w:gz")


def tar_zst(p: Path) -> None:
    import zstandard

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("posts.csv")
        info.size = len(GOOD_CSV)
        tf.addfile(info, io.BytesIO(GOOD_CSV))
    p.write_bytes(zstandard.ZstdCompressor().compress(buf.getvalue()))


GENERATED: dict[str, Callable[[Path], None]] = {
    "big_line.jsonl": big_line_jsonl,
    "big_line_not_json.jsonl": big_line_not_json,
    "big_cell.csv": big_cell_csv,
    "trailing_garbage.csv.gz": gzip_trailing_garbage,
    "truncated.csv.gz": gzip_truncated,
    "bomb.csv.gz": gzip_bomb,
    "traversal.zip": zip_traversal,
    "absolute.zip": zip_absolute,
    "bomb.zip": zip_bomb,
    "traversal.tar": tar_traversal,
    "symlink.tar.gz": tar_symlink,
    "device.tar": tar_device,
    "bomb.tar.gz": tar_bomb,
    "good.tar.gz": tar_good,
    "good.tar.zst": tar_zst,
}
