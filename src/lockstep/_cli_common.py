"""What every CLI command shares: the consoles and the turning of lockstep errors into exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from lockstep.errors import LockstepError

__all__ = ["console", "err_console", "handle_errors"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Decorator for a command: a LockstepError becomes one red line on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LockstepError as e:
            # markup=False: messages quote file content, which may contain [brackets].
            err_console.print(f"Error: {e}", style="red", markup=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None

    return wrapper  # type: ignore[return-value]
