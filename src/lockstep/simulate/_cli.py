"""``lockstep simulate``: write a synthetic scenario with ground truth."""

from __future__ import annotations

from pathlib import Path

import typer

from lockstep._cli_common import console, handle_errors


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the app."""

    @app.command()
    @handle_errors
    def simulate(
        out: Path = typer.Option(..., "--out", "-o", help="Posts file to write: .csv, .csv.gz or .parquet."),
        seed: int = typer.Option(0, "--seed", help="Random seed; the same seed writes the same bytes."),
        scenario: str = typer.Option("default", "--scenario", help="Preset: default, demo or hard."),
        posts: int | None = typer.Option(None, "--posts", help="Target number of posts (scales the preset)."),
        scale: float = typer.Option(1.0, "--scale", help="Multiply the preset's accounts and posts."),
        format: str | None = typer.Option(None, "--format", help="csv or parquet (default: from --out's suffix)."),
    ) -> None:
        """Generate a synthetic scenario: organic users, hard negatives and planted campaigns.

        Writes the posts (canonical columns plus account columns) to OUT, the ground truth per
        account to <stem>.labels.csv and per campaign / hard-negative group to <stem>.groups.csv.

        Example:

            lockstep simulate --out scenario.parquet --scenario demo --seed 7
        """
        from lockstep.simulate import simulate as run

        sc = run(scenario, seed=seed, scale=scale, n_posts=posts)
        paths = sc.write(out, format=format)
        c = sc.counts()
        console.print(f"{scenario} (seed {seed}): {c.posts:,} posts by {c.accounts:,} accounts; "
                      f"{c.campaigns} campaigns ({c.campaign_accounts:,} accounts), "
                      f"{c.hard_negative_groups} hard-negative groups")
        for what, path in paths.items():
            console.print(f"  {what:7} {path}")
