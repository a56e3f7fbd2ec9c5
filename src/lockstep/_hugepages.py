"""numpy's huge-page advice, turned off while lockstep works on large arrays.

numpy asks the kernel for transparent huge pages on every array over 4 MB (``madvise``). Where
the kernel answers by compacting memory to find them (THP ``defrag`` set to ``madvise``, the
default on many distributions), an allocation can stall once memory is fragmented, as it is
after DuckDB has run a query: five 69 MB arrays (the size of co-repost's columns on 1M posts)
took 0.06-0.73 s with the advice and 0.14-0.19 s without it (six runs each, after a DuckDB
GROUP BY). The advice is a speed hint only: results are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["disable_hugepage_advice", "no_hugepage_advice"]


def _switch() -> Callable[[bool], bool] | None:
    try:  # numpy 2
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        try:  # numpy 1.x
            from numpy.core.multiarray import _set_madvise_hugepage  # type: ignore[no-redef]
        except ImportError:
            return None
    return _set_madvise_hugepage  # type: ignore[no-any-return]


@contextmanager
def no_hugepage_advice() -> Iterator[None]:
    """Within the block numpy gives no huge-page advice; the caller's setting is restored after."""
    switch = _switch()
    if switch is None:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)


def disable_hugepage_advice() -> None:
    """For the whole process (the command-line tool, which owns its process)."""
    switch = _switch()
    if switch is not None:
        switch(False)
