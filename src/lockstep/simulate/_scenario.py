"""The public face of the simulator: presets, :class:`Simulator`, :class:`Scenario`, :func:`simulate`."""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from lockstep.errors import LockstepError
from lockstep.schema import TIMESTAMP
from lockstep.simulate._engine import HARD_NEGATIVES, PLATFORMS, ROLE_PRIORITY, TACTICS
from lockstep.simulate._generate import Generator, Params, Raw
from lockstep.simulate._persona import make_profiles
from lockstep.simulate._render import POSTS_SCHEMA, Renderer

__all__ = ["FORMATS", "SCENARIOS", "Scenario", "SimulationError", "Simulator", "simulate"]


class SimulationError(LockstepError):
    """Bad simulator parameters or an output path the simulator cannot write."""


#: Named presets. ``scale`` multiplies accounts and posts; campaigns and hard negatives grow with
#: its square root (a bigger platform has more of them, but not proportionally more).
SCENARIOS: dict[str, dict[str, Any]] = {
    "default": dict(n_accounts=2000, n_posts=100_000, days=14, n_campaigns=6, n_viral_bursts=3,
                    n_fan_communities=2, n_news_bots=8, n_breaking_news=2, stealth=0.0),
    "demo": dict(n_accounts=500, n_posts=20_000, days=7, n_campaigns=3, n_viral_bursts=1,
                 n_fan_communities=1, n_news_bots=4, n_breaking_news=1, stealth=0.0),
    "hard": dict(n_accounts=3000, n_posts=150_000, days=14, n_campaigns=8, campaign_size=(10, 60),
                 n_viral_bursts=8, n_fan_communities=5, n_news_bots=24, n_breaking_news=5, stealth=0.6),
}

#: Output formats by file suffix.
FORMATS = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet"}

LABELS_SCHEMA = pa.schema([
    ("platform", pa.string()), ("account_id", pa.string()), ("handle", pa.string()), ("role", pa.string()),
    ("campaign", pa.string()), ("tactics", pa.string()), ("operator_utc_offset", pa.float64()),
    ("hard_negatives", pa.string()), ("account_kind", pa.string()),
])
GROUPS_SCHEMA = pa.schema([
    ("group_id", pa.string()), ("kind", pa.string()), ("tactics", pa.string()),
    ("operator_utc_offset", pa.float64()), ("n_accounts", pa.int64()), ("first_at", TIMESTAMP),
    ("last_at", TIMESTAMP), ("objects", pa.string()),
])

_PARAMETERS: dict[str, tuple[type, Any]] = {
    # name: (type, check) where check is (low, high) for numbers or a set of allowed values
    "n_accounts": (int, (100, 10**8)), "n_posts": (int, (1000, 10**9)), "days": (int, (1, 366)),
    "n_campaigns": (int, (0, 10**5)), "n_viral_bursts": (int, (0, 10**5)),
    "n_fan_communities": (int, (0, 10**5)), "n_news_bots": (int, (0, 10**5)),
    "n_breaking_news": (int, (0, 10**5)), "telegram_share": (float, (0.0, 0.9)),
    "stealth": (float, (0.0, 1.0)), "seed": (int, (0, 2**63 - 1)),
}


class Simulator:
    """Generate a synthetic scenario with ground truth: organic users, hard negatives, campaigns.

    Parameters
    ----------
    n_accounts : int
        About how many accounts (people, personas, bots, outlets together).
    n_posts : int
        About how many posts; the organic background is sized to reach it.
    days : int
        Length of the observation window.
    start : str
        First day of the window (UTC, ISO date).
    n_campaigns : int
        Planted campaigns.
    campaign_size : tuple of int
        Smallest and largest campaign (accounts on Twitter; cross-platform campaigns add
        Telegram channels), sizes drawn log-uniformly.
    tactics : tuple of str
        Tactics campaigns draw from (see :data:`lockstep.simulate.TACTICS`).
    n_viral_bursts, n_fan_communities, n_news_bots, n_breaking_news : int
        Hard negatives: coordinated-looking organic behaviour (labelled, never campaigns).
    telegram_share : float
        Share of organic accounts that are Telegram channels.
    stealth : float
        0..1: higher means campaigns participate less, spread their actions out more, and hide
        behind more filler.
    seed : int
        Seed of all randomness: the same seed gives byte-identical output.

    Attributes
    ----------
    scenario_ : Scenario
        The generated scenario (after :meth:`generate`).

    Examples
    --------
    >>> sim = Simulator(n_accounts=300, n_posts=5000, days=3, n_campaigns=2, seed=1).generate()
    >>> sim.scenario_.labels.num_rows > 0
    True
    """

    def __init__(self, *, n_accounts: int = 2000, n_posts: int = 100_000, days: int = 14,
                 start: str = "2024-03-04", n_campaigns: int = 6, campaign_size: tuple[int, int] = (10, 100),
                 tactics: tuple[str, ...] = TACTICS, n_viral_bursts: int = 3, n_fan_communities: int = 2,
                 n_news_bots: int = 8, n_breaking_news: int = 2, telegram_share: float = 0.1,
                 stealth: float = 0.0, seed: int = 0) -> None:
        self.n_accounts = n_accounts
        self.n_posts = n_posts
        self.days = days
        self.start = start
        self.n_campaigns = n_campaigns
        self.campaign_size = campaign_size
        self.tactics = tactics
        self.n_viral_bursts = n_viral_bursts
        self.n_fan_communities = n_fan_communities
        self.n_news_bots = n_news_bots
        self.n_breaking_news = n_breaking_news
        self.telegram_share = telegram_share
        self.stealth = stealth
        self.seed = seed

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters, by name."""
        return {k: getattr(self, k) for k in (
            "n_accounts", "n_posts", "days", "start", "n_campaigns", "campaign_size", "tactics",
            "n_viral_bursts", "n_fan_communities", "n_news_bots", "n_breaking_news", "telegram_share",
            "stealth", "seed")}

    def __repr__(self) -> str:
        return f"Simulator({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    @classmethod
    def from_scenario(cls, scenario: str = "default", *, scale: float = 1.0, n_posts: int | None = None,
                      seed: int = 0, **overrides: Any) -> Simulator:
        """A simulator for a named preset, optionally scaled (``scale`` or a target ``n_posts``)."""
        if scenario not in SCENARIOS:
            raise SimulationError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
        params = dict(SCENARIOS[scenario])
        if n_posts is not None:
            scale = n_posts / params["n_posts"]
        if not scale > 0:
            raise SimulationError(f"scale must be positive, got {scale!r}")
        if scale != 1.0:
            params["n_accounts"] = max(100, round(params["n_accounts"] * scale))
            params["n_posts"] = max(1000, round(params["n_posts"] * scale))
            root = math.sqrt(scale)
            for k in ("n_campaigns", "n_viral_bursts", "n_fan_communities", "n_news_bots", "n_breaking_news"):
                params[k] = max(1 if params[k] else 0, round(params[k] * root))
        params.update(overrides)
        return cls(seed=seed, **params)

    def _validate(self) -> Params:
        for name, (typ, check) in _PARAMETERS.items():
            value = getattr(self, name)
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if typ is int:
                ok = ok and float(value).is_integer()
            if not ok or not check[0] <= value <= check[1]:
                raise SimulationError(f"{name} must be a {typ.__name__} in [{check[0]}, {check[1]}], got {value!r}")
        lo, hi = self.campaign_size
        if not 2 <= lo <= hi:
            raise SimulationError(f"campaign_size must be (low, high) with 2 <= low <= high, got {self.campaign_size!r}")
        unknown = [t for t in self.tactics if t not in TACTICS]
        if unknown or not self.tactics:
            raise SimulationError(f"tactics must be a non-empty subset of {', '.join(TACTICS)}, got {self.tactics!r}")
        try:
            start = datetime.fromisoformat(str(self.start)).replace(tzinfo=UTC)
        except ValueError as e:
            raise SimulationError(f"start must be an ISO date, got {self.start!r}") from e
        return Params(int(self.n_accounts), int(self.n_posts), int(self.days), start, int(self.n_campaigns),
                      (int(lo), int(hi)), tuple(self.tactics), int(self.n_viral_bursts),
                      int(self.n_fan_communities), int(self.n_news_bots), int(self.n_breaking_news),
                      float(self.telegram_share), float(self.stealth), int(self.seed))

    def generate(self) -> Simulator:
        """Generate the scenario into ``scenario_``; returns self."""
        p = self._validate()
        gen = Generator(p)
        raw = gen.run()
        profiles = make_profiles(raw, p.seed, gen.outlet_domain)
        self.scenario_ = Scenario(raw, profiles, self.get_params())
        return self


def simulate(scenario: str = "default", seed: int = 0, *, scale: float = 1.0, n_posts: int | None = None,
             **overrides: Any) -> Scenario:
    """Generate a named scenario.

    Parameters
    ----------
    scenario : str
        One of :data:`SCENARIOS`: ``default``, ``demo``, ``hard``.
    seed : int
        Seed; the same seed gives the same scenario, byte for byte.
    scale : float
        Multiply accounts and posts (campaigns and hard negatives grow with its square root).
    n_posts : int, optional
        Target number of posts (sets ``scale``).
    **overrides
        Any :class:`Simulator` parameter.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> sc = simulate("demo", seed=3)
    >>> sc.posts.column_names[:4]
    ['platform', 'post_id', 'account_id', 'created_at']
    """
    return Simulator.from_scenario(scenario, scale=scale, n_posts=n_posts, seed=seed, **overrides).generate().scenario_


def output_format(path: Path, format: str | None = None) -> str:
    """The output format for ``path``: ``format`` if given, else from its suffix."""
    if format is not None:
        if format not in ("csv", "parquet"):
            raise SimulationError(f"format must be csv or parquet, got {format!r}")
        return format
    name = path.name.lower()
    for suffix, fmt in sorted(FORMATS.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return fmt
    raise SimulationError(f"cannot tell the format of {path.name!r} from its suffix; use .csv, .csv.gz or "
                          ".parquet, or give --format")


def _stem(path: Path) -> Path:
    name = path.name
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return path.with_name(name[: -len(suffix)])
    return path.with_name(path.stem)


def labels_path(path: Path) -> Path:
    """Where the labels of a posts file go: beside it, ``<stem>.labels.csv``."""
    s = _stem(Path(path))
    return s.with_name(s.name + ".labels.csv")


def groups_path(path: Path) -> Path:
    """Where the group ground truth goes: ``<stem>.groups.csv``."""
    s = _stem(Path(path))
    return s.with_name(s.name + ".groups.csv")


def _json_lists(table: pa.Table) -> pa.Table:
    """List columns as JSON arrays (their values never need escaping: see _vocab)."""
    import pyarrow.compute as pc

    cols = []
    for f in table.schema:
        col = table[f.name]
        if pa.types.is_list(f.type):
            quoted = pc.binary_join_element_wise('"', pc.list_flatten(col), '"', "")
            offsets = pc.list_value_length(col).to_numpy(zero_copy_only=False)
            lists = pa.ListArray.from_arrays(pa.array(np.r_[0, np.cumsum(offsets)].astype(np.int32)),
                                             quoted.combine_chunks() if isinstance(quoted, pa.ChunkedArray) else quoted)
            col = pc.binary_join_element_wise("[", pc.binary_join(lists, ","), "]", "")
        cols.append(col)
    return pa.Table.from_arrays(cols, names=table.column_names)


@dataclass
class _Counts:
    posts: int
    accounts: int
    campaigns: int
    campaign_accounts: int
    hard_negative_groups: int


class Scenario:
    """A generated scenario: posts, per-account labels and per-group ground truth.

    Posts are rendered on demand (``posts``, ``iter_posts``), so writing a large scenario streams
    chunk by chunk instead of holding every string in memory.
    """

    #: Rows per rendered chunk when writing.
    chunk_rows = 500_000

    def __init__(self, raw: Raw, profiles: Any, params: dict[str, Any]) -> None:
        self.params = params
        self._raw = raw
        self._profiles = profiles
        start_us = int(raw.world.start.timestamp() * 1_000_000)
        self._renderer = Renderer(raw, profiles, start_us)
        self.labels = self._labels()
        self.groups = self._groups()

    def __len__(self) -> int:
        return self._renderer.n

    def __repr__(self) -> str:
        c = self.counts()
        return (f"<Scenario {c.posts} posts, {c.accounts} accounts, {c.campaigns} campaigns "
                f"({c.campaign_accounts} accounts), {c.hard_negative_groups} hard-negative groups>")

    def counts(self) -> _Counts:
        kinds = self.groups["kind"].to_pylist()
        return _Counts(len(self), self.labels.num_rows, kinds.count("campaign"),
                       sum(r == "campaign" for r in self.labels["role"].to_pylist()),
                       sum(k != "campaign" for k in kinds))

    def iter_posts(self, chunk_rows: int | None = None) -> Iterator[pa.Table]:
        """The posts in time order, as Arrow tables of at most ``chunk_rows`` rows."""
        step = chunk_rows or self.chunk_rows
        for lo in range(0, len(self), step):
            yield self._renderer.chunk(lo, min(lo + step, len(self)))

    @property
    def posts(self) -> pa.Table:
        """All posts as one Arrow table (canonical post columns + account columns)."""
        chunks = list(self.iter_posts())
        return pa.Table.from_batches([b for c in chunks for b in c.to_batches()], schema=POSTS_SCHEMA)

    def _labels(self) -> pa.Table:
        raw, prof = self._raw, self._profiles
        A = raw.accounts
        n = A.n
        memberships: list[list[tuple[str, str]]] = [[] for _ in range(n)]
        campaign: list[str | None] = [None] * n
        tactics: list[str | None] = [None] * n
        offset: list[float | None] = [None] * n
        for g in raw.groups:
            for a in np.unique(g.members):
                memberships[a].append((g.kind, g.group_id))
                if g.kind == "campaign":
                    campaign[a], tactics[a], offset[a] = g.group_id, ";".join(g.tactics), g.operator_utc_offset
        roles, hard = [], []
        for a in range(n):
            kinds = {k for k, _ in memberships[a]}
            roles.append(next(r for r in ROLE_PRIORITY if r in kinds or r == "organic"))
            hn = [gid for k, gid in memberships[a] if k in HARD_NEGATIVES]
            hard.append(";".join(hn) or None)
        from lockstep.simulate._engine import ACCOUNT_KINDS

        return pa.table({
            "platform": pa.array(np.array(PLATFORMS, dtype=object)[A["platform"].astype(int)], pa.string()),
            "account_id": pa.array(prof.account_id, pa.string()),
            "handle": pa.array(prof.handle, pa.string()),
            "role": pa.array(roles, pa.string()),
            "campaign": pa.array(campaign, pa.string()),
            "tactics": pa.array(tactics, pa.string()),
            "operator_utc_offset": pa.array(offset, pa.float64()),
            "hard_negatives": pa.array(hard, pa.string()),
            "account_kind": pa.array(np.array(ACCOUNT_KINDS, dtype=object)[A["kind"].astype(int)], pa.string()),
        }, schema=LABELS_SCHEMA)

    def _groups(self) -> pa.Table:
        r = self._renderer
        rows = []
        start_us = int(self._raw.world.start.timestamp() * 1_000_000)
        for g in self._raw.groups:
            objects = []
            for o in g.objects:
                if o.startswith("row:"):
                    sorted_row = int(r.inverse[int(o[4:])])
                    objects.append("post:" + r.post_ids(np.array([sorted_row]))[0].as_py())
                else:
                    objects.append(o)
            has_t = np.isfinite(g.first_t)
            rows.append((g.group_id, g.kind, ";".join(g.tactics) or None, g.operator_utc_offset,
                         len(np.unique(g.members)),
                         start_us + round(g.first_t * 1e6) if has_t else None,
                         start_us + round(g.last_t * 1e6) if has_t else None, ";".join(objects) or None))
        cols = list(zip(*rows)) if rows else [[] for _ in GROUPS_SCHEMA]
        return pa.Table.from_arrays([pa.array(list(c), f.type) for c, f in zip(cols, GROUPS_SCHEMA)],
                                    schema=GROUPS_SCHEMA)

    def write(self, path: str | Path, format: str | None = None) -> dict[str, Path]:
        """Write the posts to ``path`` and the labels and groups beside it.

        Parameters
        ----------
        path : str or Path
            ``.csv``, ``.csv.gz`` or ``.parquet`` (or any name with ``format``).
        format : {"csv", "parquet"}, optional
            Overrides the suffix.

        Returns
        -------
        dict
            ``{"posts": ..., "labels": ..., "groups": ...}`` paths written.
        """
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        path = Path(path)
        fmt = output_format(path, format)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SimulationError(f"cannot create directory {str(path.parent)!r}: {e.strerror or e}") from None
        if fmt == "parquet":
            # Fixed writer options: the same scenario always gives the same bytes.
            with pq.ParquetWriter(path, POSTS_SCHEMA, compression="zstd") as w:
                for chunk in self.iter_posts():
                    w.write_table(chunk, row_group_size=self.chunk_rows)
        else:
            gz = path.name.lower().endswith(".gz")
            with open(path, "wb") as raw_f:
                # mtime=0 and no file name in the gzip header: byte-identical reruns.
                f = gzip.GzipFile(filename="", mode="wb", fileobj=raw_f, mtime=0, compresslevel=6) if gz else raw_f
                try:
                    writer = None
                    for chunk in self.iter_posts():
                        table = _json_lists(chunk)
                        if writer is None:
                            writer = pacsv.CSVWriter(f, table.schema)
                        writer.write_table(table)
                    if writer is not None:
                        writer.close()
                finally:
                    if gz:
                        f.close()
        out = {"posts": path, "labels": labels_path(path), "groups": groups_path(path)}
        pacsv.write_csv(self.labels, out["labels"])
        pacsv.write_csv(self.groups, out["groups"])
        return out
