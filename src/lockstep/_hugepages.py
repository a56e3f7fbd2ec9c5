"""Transparent huge pages, turned off while lockstep works on large arrays.

Two things ask the kernel for transparent huge pages (THP): numpy advises them on every array
over 4 MB (``madvise``), and Arrow's allocator (mimalloc) maps its large blocks so that the
kernel may back them with huge pages. Where the kernel answers a fault by compacting memory to
find a free 2 MB page (THP ``defrag`` set to ``madvise``, the default on many distributions), a
fault can stall once memory is fragmented, as it is after DuckDB has run a query or when the
page cache fills the rest of memory — the reason databases such as Redis and MongoDB tell their
users to turn THP off. Measured on 1M posts (co-repost's 8.65M edges): building the named edge
table took 0.7-1.1 s of faults with huge pages and a steady 0.7 s without; co-repost as a whole
3.8-4.7 s with and 3.3-3.5 s without. Five 69 MB numpy arrays after a DuckDB GROUP BY took
0.06-0.73 s with numpy's advice and 0.14-0.19 s without.

Both are speed hints only: results are the same either way. Inside lockstep's heavy steps
(:func:`no_hugepages`) numpy's advice is off and the process asks for no huge pages
(``prctl(PR_SET_THP_DISABLE)`` on Linux); the caller's settings are restored after. The
command-line tool, which owns its process, turns both off for good (:func:`disable_hugepages`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

__all__ = ["disable_hugepages", "no_hugepages"]

_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42


def _switch() -> Callable[[bool], bool] | None:
    """numpy's huge-page advice switch: sets the advice, returns the setting it replaced."""
    try:  # numpy 2
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        try:  # numpy 1.x
            from numpy.core.multiarray import _set_madvise_hugepage  # type: ignore[no-redef]
        except ImportError:
            return None
    return _set_madvise_hugepage  # type: ignore[no-any-return]


@cache
def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    return libc.prctl  # type: ignore[no-any-return]


def _thp_disabled(disabled: bool) -> bool | None:
    """Set whether this process may get transparent huge pages; the previous setting, or None
    where the kernel or platform has no such switch (nothing changed then)."""
    prctl = _prctl()
    if prctl is None:
        return None
    before = prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0)
    if before < 0 or prctl(_PR_SET_THP_DISABLE, int(disabled), 0, 0, 0) != 0:
        return None
    return bool(before)


@contextmanager
def no_hugepages() -> Iterator[None]:
    """Within the block: no numpy huge-page advice and no transparent huge pages for the process;
    the caller's settings are restored after."""
    switch = _switch()
    advice = switch(False) if switch is not None else None
    thp = _thp_disabled(True)
    try:
        yield
    finally:
        if thp is not None:
            _thp_disabled(thp)
        if switch is not None and advice is not None:
            switch(advice)


def disable_hugepages() -> None:
    """For the whole process (the command-line tool, which owns its process)."""
    switch = _switch()
    if switch is not None:
        switch(False)
    _thp_disabled(True)
