"""The network view's layout, computed once in Python so that the report is deterministic.

Each cluster is laid out on its own (Fruchterman-Reingold on its internal edges, igraph, from
seeded starting positions) and the clusters are packed on shelves in rank order, the strongest
first. Edges between clusters are drawn but do not pull clusters together: the packing keeps the
picture readable and stable when one cluster changes.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

__all__ = ["PALETTE", "cluster_layout"]

#: Cluster colours (Tableau 10 plus two), shared by the HTML view and the GEXF export.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (78, 121, 167), (242, 142, 43), (225, 87, 89), (118, 183, 178), (89, 161, 79), (237, 201, 72),
    (176, 122, 161), (255, 157, 167), (156, 117, 95), (186, 176, 172), (31, 119, 180), (148, 103, 189),
)


def _one(n: int, pairs: list[tuple[int, int]], weights: list[float], seed: int) -> np.ndarray:
    """Positions of one cluster's n members, centred, scaled to radius ~ sqrt(n)."""
    if n == 1:
        return np.zeros((1, 2))
    import igraph as ig

    rng = np.random.default_rng(seed)
    start = rng.uniform(-1, 1, size=(n, 2)) * math.sqrt(n)
    g = ig.Graph(n=n, edges=pairs)
    # igraph draws from Python's `random` module; give it a seeded generator for this call only.
    ig.set_random_number_generator(random.Random(seed))
    try:
        lay = g.layout_fruchterman_reingold(
            weights=weights or None, seed=start.tolist(), niter=300 if n <= 2000 else 100,
            grid="auto",
        )
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(lay.coords, dtype=float)
    xy -= xy.mean(axis=0)
    r = np.sqrt((xy ** 2).sum(axis=1)).max()
    if r > 0:
        xy *= math.sqrt(n) / r
    return xy


def cluster_layout(
    node_cluster: Sequence[int],
    edges: Sequence[tuple[int, int, float]],
    *,
    seed: int = 0,
) -> np.ndarray:
    """Positions (n × 2) of the nodes of a clustered graph.

    Parameters
    ----------
    node_cluster : sequence of int
        Cluster index (rank order, 0 first) of each node.
    edges : sequence of (int, int, float)
        Node index pairs and weights; only edges inside one cluster shape the layout.
    seed : int
        Seed of the starting positions: the same input and seed give the same positions.

    Returns
    -------
    numpy.ndarray
        Float positions, rounded to 2 decimals, ordered as ``node_cluster``.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(node_cluster):
        members[c].append(i)
    inner: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for a, b, w in edges:
        ca = node_cluster[a]
        if ca == node_cluster[b] and a != b:
            inner[ca].append((a, b, w))
    pos = np.zeros((len(node_cluster), 2))
    blocks = []
    for c in sorted(members):
        idx = members[c]
        local = {g: k for k, g in enumerate(idx)}
        es = inner[c]
        xy = _one(len(idx), [(local[a], local[b]) for a, b, _ in es], [max(w, 1e-9) for _, _, w in es],
                  seed + c)
        blocks.append((idx, xy, math.sqrt(len(idx)) + 1.0))
    # Shelf packing: rows of roughly equal total width, strongest cluster top left.
    total = sum((2 * r) ** 2 for _, _, r in blocks)
    row_width = max(math.sqrt(total) * 1.2, max((2 * r for _, _, r in blocks), default=1.0))
    x = y = 0.0
    row_h = 0.0
    for idx, xy, r in blocks:
        if x > 0 and x + 2 * r > row_width:
            x, y = 0.0, y + row_h
            row_h = 0.0
        pos[idx] = xy + np.array([x + r, y + r])
        x += 2 * r
        row_h = max(row_h, 2 * r)
    return np.round(pos, 2)
