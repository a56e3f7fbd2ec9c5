"""The ``lockstep personas`` command."""

from __future__ import annotations

from pathlib import Path

import typer

from lockstep._cli_common import console, handle_errors


def register(app: typer.Typer) -> None:
    """Add the ``personas`` command to the lockstep app."""

    @app.command()
    @handle_errors
    def personas(
        workspace: Path = typer.Option(..., "--workspace", "-w", help="The workspace directory."),
        out: Path | None = typer.Option(None, "--out", "-o",
                                        help="Write per-account signals here (.csv, .parquet or .json); "
                                        "the schedule and clusters go beside it."),
        groups: Path | None = typer.Option(None, "--groups",
                                           help="CSV or Parquet of platform,account_id,cluster to aggregate "
                                           "over (default: the workspace's clusters table, if any)."),
        n_bootstrap: int = typer.Option(200, "--n-bootstrap", help="Bootstrap replicates of the clock."),
        seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    ) -> None:
        """Persona signals per account and cluster, and the operator's clock.

        Creation bursts, generated handles, reused profiles, automation, and the UTC offset and
        working pattern the accounts are run on, compared with the locations they claim. Results
        are stored in the workspace (tables personas, persona_schedule, persona_clusters).

        Example:

            lockstep personas --workspace ws --out personas.csv
        """
        from lockstep.personas import run_personas

        signals, written = run_personas(workspace, out=out, groups=groups, n_bootstrap=n_bootstrap,
                                        random_state=seed)
        n_flagged = sum(1 for f in signals.accounts_.column("flags").to_pylist() if f)
        console.print(f"{signals.accounts_.num_rows} accounts, {n_flagged} with flags")
        for row in signals.schedule_.to_pylist():
            console.print(f"clock of {row['group_kind']} {row['group']} ({row['n_accounts']} accounts): "
                          f"{row['summary']}", markup=False)
        for note in signals.notes_:
            console.print(f"note: {note}", markup=False)
        for p in written:
            console.print(f"wrote {p}", markup=False)
