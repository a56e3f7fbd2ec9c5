"""The ``lockstep`` command: a thin Typer shell over the library.

Each stage keeps its commands in its own ``_cli.py`` with a ``register(app)`` function; this
module only assembles them, so a command lives next to the code it calls.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="lockstep",
    help="Expose coordinated inauthentic behaviour: accounts that act in concert, aliases of one "
    "operator, fake personas, and the clock they are run on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# The order is the order of `lockstep --help`: the pipeline's order.
COMMAND_MODULES = (
    "lockstep.ingest._cli",
    "lockstep.simulate._cli",
    "lockstep.detect._cli",
    "lockstep.aliases._cli",
    "lockstep.personas._cli",
    "lockstep.report._cli",
)

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _e:
        # A stage not built yet is absent; a stage that fails on its own imports is a bug.
        if _e.name not in (_name, _name.rsplit(".", 1)[0]):
            raise
        continue
    _module.register(app)


@app.command()
def version() -> None:
    """Print lockstep's version.

    Example:

        lockstep version
    """
    from lockstep import __version__

    typer.echo(__version__)


def main() -> None:
    from lockstep._hugepages import disable_hugepages

    disable_hugepages()
    app()
