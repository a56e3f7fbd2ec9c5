"""Commands: `lockstep aliases` and the `lockstep eval` group (with `eval authorship`).

Other stages add their own evaluations to :data:`eval_app` (``@eval_app.command()``) instead of
creating a second ``eval`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lockstep._cli_common import console, err_console, handle_errors

eval_app = typer.Typer(
    name="eval",
    help="Reproduce the published figures on the real data sets.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add `aliases` and, unless already there, the `eval` group to the app."""
    app.command("aliases")(aliases)
    already = any(
        g.name == "eval" or (g.typer_instance is not None and g.typer_instance.info.name == "eval")
        for g in app.registered_groups
    )
    if not already:
        app.add_typer(eval_app, name="eval")


@handle_errors
def aliases(
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w", help="Workspace: link its accounts.")] = None,
    docs: Annotated[Path | None, typer.Option(
        "--docs", help="Bylined documents: a folder of author folders of .txt files, or a CSV/TSV/JSONL "
        "with author and text columns.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the pairs (.csv, .parquet or .jsonl); the names go beside it as "
        "NAME.names.EXT.")] = None,
    min_chars: Annotated[int, typer.Option(help="Less text than this: 'insufficient evidence'.")] = 1500,
    topic: Annotated[str, typer.Option(help="Topic similarity: auto, minilm, words or none.")] = "auto",
    prior: Annotated[float | None, typer.Option(
        help="Prior probability that a pair is one author (default 1/(names−1), at most 0.5).")] = None,
    threshold: Annotated[float, typer.Option(help="Probability from which names are clustered.")] = 0.5,
    top: Annotated[int, typer.Option(help="Pairs to print.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the impostor draw and candidate search.")] = 0,
) -> None:
    """Which accounts or bylines are written by the same hand.

    Prints the most probable same-author pairs and the clusters (operators); writes every scored
    pair with its scorer parts, topic similarity and evidence with --out. With --workspace the
    results are also stored in the workspace tables alias_pairs and alias_names.

    Example:

        lockstep aliases --workspace ws --min-chars 1500 --out aliases.csv
        lockstep aliases --docs bylines.csv --topic none
    """
    from lockstep.aliases._report import run_aliases

    if (workspace is None) == (docs is None):
        raise typer.BadParameter("give exactly one of --workspace or --docs")
    result = run_aliases(
        workspace=workspace, docs=docs, out=out, min_chars=min_chars, topic=topic, prior=prior,
        threshold=threshold, seed=seed,
    )
    for line in result.summary_lines(top=top):
        console.print(line, markup=False, soft_wrap=True)
    for reason, n in sorted(result.skipped.items()):
        err_console.print(f"skipped {n} {reason}", markup=False)


@eval_app.command("authorship")
@handle_errors
def authorship(
    corpus: Annotated[str, typer.Option(help="c50 (attribution + alias linking), ira (twin ranking) or scale (timing).")] = "c50",
    data_dir: Annotated[Path, typer.Option(help="Folder holding reuter_c50/ and ira_tweets/.")] = Path("../shared/data"),
    topic: Annotated[str, typer.Option(help="Topic baseline: auto, minilm or none.")] = "auto",
    trials: Annotated[int, typer.Option(help="Random alias splits per setting (c50).")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the splits.")] = 0,
) -> None:
    """Authorship figures: C50 attribution and alias linking, IRA twin ranking, scale timing.

    Example:

        lockstep eval authorship --corpus c50
        lockstep eval authorship --corpus ira --data-dir ../shared/data
    """
    from lockstep.aliases._evaluation import evaluate_authorship

    evaluate_authorship(
        corpus, data_dir=data_dir, topic=topic, n_trials=trials, seed=seed,
        report=lambda msg: console.print(msg, markup=False, soft_wrap=True),
    )
