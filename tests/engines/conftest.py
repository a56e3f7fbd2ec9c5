"""Shared data for the engine tests: one small simulated platform, ingested into a workspace."""

from __future__ import annotations

from pathlib import Path

import lockstep


def simulated_workspace(root: Path) -> lockstep.Workspace:
    """200 accounts, 3,000 posts over two days, two campaigns (seed 3), ingested into ``root/ws``.

    The caller closes the workspace (it is a context manager).
    """
    from lockstep.simulate import Simulator

    Simulator(n_accounts=200, n_posts=3000, days=2, n_campaigns=2, seed=3).generate().scenario_.write(
        root / "posts.parquet")
    ws = lockstep.Workspace(root / "ws")
    ws.ingest([root / "posts.parquet"])
    return ws
