"""Coordination detection: co-action signals, null models, fusion, Leiden clusters and evidence.

Public API (stable)
-------------------
``detect(workspace, signals=None, *, write=True, window="auto", min_count=None, null="default",
fdr=None, options=None, raw=False, cluster=None, resolution=1.0, min_cluster_size=2,
screen_p=None, cluster_alpha=1e-3, min_excess=None, min_density=0.5, engine="duckdb", seed=0)
-> Detection``
    Run the signals over a workspace (a :class:`lockstep.Workspace` or a path), fuse, cluster and
    score; with ``write=True`` the tables ``coaction_edges``, ``edges``, ``clusters``,
    ``cluster_scores``, ``evidence``, ``cluster_tests`` are (re)written in the workspace and a row
    is appended to ``detect_runs``. The returned :class:`Detection` holds them as Arrow tables in
    ``coaction_edges_``, ``edges_``, ``clusters_``, ``cluster_scores_``, ``evidence_``,
    ``cluster_tests_`` (and ``.table(name, as_="arrow"|"polars"|"pandas")``), plus ``notes_``.
    ``evidence`` holds the post pairs of every kept edge, and (``signal`` ``source``,
    ``forward`` or ``ring``) those of the accounts a cluster took in as its source, as a
    forwarder or as a member of an amplification ring.
    ``lockstep.detect`` is this package *and* callable: ``lockstep.detect(ws)`` is ``detect(ws)``.

``pair_counts(workspace, signal, window, *, seed=0, **detector_params) -> pyarrow.Table``
    Raw windowed pair counts of one signal (no null model, min count 1, no heavy-object guard):
    every unordered account pair with at least one co-action within ``window`` (inclusive,
    ``|Δt| ≤ window``), accounts never paired with themselves. Columns as :data:`EDGE_SCHEMA`:
    ``n_pairs`` (post pairs), ``n_objects`` (distinct objects), ``n_posts_a`` / ``n_posts_b``
    (distinct posts of a / b with a partner: CNT's directed weights a→b and b→a).
    Equivalent to ``get_detector(signal, window=window, min_count=1, null=None,
    max_pairs_per_object=None, evidence=False, **params).fit(workspace).edges_``.

Detectors (one class per signal; registry :data:`DETECTORS`, keyed by signal name):
``CoRepost`` "co-repost", ``CoLink`` "co-link", ``CoReply`` "co-reply", ``CoHashtag``
"co-hashtag", ``CoMention`` "co-mention", ``IdenticalText`` "identical-text", ``NearText``
"near-text", ``Synchronous`` "synchronous", ``Scheduled`` "scheduled", ``CoMedia`` "co-media", ``RareShare`` "rare-share". Each takes keyword
parameters ``window``, ``min_count``, ``null`` ("delay", "activity", None), ``fdr``,
``max_pairs_per_object``, ``evidence`` plus its own; ``fit(workspace, engine="duckdb", seed=0)``
returns self with ``edges_`` (EDGE_SCHEMA), ``evidence_`` (EVIDENCE_SCHEMA), ``window_s_``,
``notes_``; ``get_params()`` lists the parameters.

CNT correspondence: co_retweet ↔ "co-repost"; co_tweet ↔ "identical-text" (``min_chars=0``);
co_link ↔ "co-link" (reposts' URLs ignored, as in CNT); co_similar_tweet ↔ "near-text" (``threshold``; tokens are word sets of
``text_norm``, found by MinHash-LSH then verified exactly, so a pair CNT finds at exactly the
threshold is found with probability ≥ 99 %); co_reply ↔ "co-reply".
"""

from __future__ import annotations

from lockstep.detect._base import (
    Detector,
    DetectorError,
    InvalidParameterError,
    NotFittedError,
    parse_window,
)
from lockstep.detect._cluster import CLUSTER_SCHEMA, leiden_clusters
from lockstep.detect._cohashtag import CoHashtag
from lockstep.detect._colink import CoLink
from lockstep.detect._comedia import CoMedia
from lockstep.detect._comention import CoMention
from lockstep.detect._coreply import CoReply
from lockstep.detect._corepost import CoRepost
from lockstep.detect._evidence import EVIDENCE_SCHEMA
from lockstep.detect._fuse import FUSED_SCHEMA, fuse
from lockstep.detect._identical_text import IdenticalText
from lockstep.detect._near_text import NearText, lsh_bands
from lockstep.detect._null import NULL_MODELS, bh_fdr
from lockstep.detect._pairs import EDGE_SCHEMA
from lockstep.detect._pipeline import RESULT_TABLES, Detection, detect, pair_counts
from lockstep.detect._rare import RareShare
from lockstep.detect._registry import DETECTORS, get_detector, register_detector
from lockstep.detect._scheduled import Scheduled
from lockstep.detect._score import SCORE_SCHEMA
from lockstep.detect._synchronous import Synchronous

__all__ = [
    "CLUSTER_SCHEMA",
    "DETECTORS",
    "EDGE_SCHEMA",
    "EVIDENCE_SCHEMA",
    "FUSED_SCHEMA",
    "NULL_MODELS",
    "RESULT_TABLES",
    "SCORE_SCHEMA",
    "CoHashtag",
    "CoLink",
    "CoMedia",
    "CoMention",
    "CoReply",
    "CoRepost",
    "Detection",
    "Detector",
    "DetectorError",
    "IdenticalText",
    "InvalidParameterError",
    "NearText",
    "NotFittedError",
    "RareShare",
    "Scheduled",
    "Synchronous",
    "bh_fdr",
    "detect",
    "fuse",
    "get_detector",
    "leiden_clusters",
    "lsh_bands",
    "pair_counts",
    "parse_window",
    "register_detector",
]


class _CallableModule(__import__("types").ModuleType):
    """`lockstep.detect(ws)` reads as the verb the issue promises while `lockstep.detect.CoRepost`
    keeps working: the package module itself forwards calls to :func:`detect`.

    ``detect`` is a property returning the module, so ``lockstep.detect`` is this callable module
    however it is reached: ``import lockstep.detect``, ``from lockstep.detect import detect``, or
    the lazy ``lockstep.detect`` attribute of the top-level package (which fetches the
    ``detect`` attribute of this module).
    """

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return _detect(*args, **kwargs)

    @property
    def detect(self):  # type: ignore[no-untyped-def]
        return self


_detect = detect
__import__("sys").modules[__name__].__class__ = _CallableModule
