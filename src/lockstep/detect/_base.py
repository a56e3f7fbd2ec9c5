"""The Detector contract shared by every co-action signal.

A detector names a kind of *object* that two accounts can act on (a reposted post, a URL, a text, ...)
and says how to pull ``(post, account, time, object)`` actions out of the posts table. Everything
after that is shared (:mod:`._pairs`, :mod:`._null`): pairing actions on the same object inside a
time window, counting, weighting rare objects above popular ones, testing every account pair
against a null model and keeping the evidence.

The constructor only stores keyword parameters (scikit-learn style); ``fit(workspace)`` validates
them against ``_parameter_constraints``, does the work and returns ``self``; results are in
``edges_``, ``evidence_``, ``window_s_`` and ``notes_``.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from numbers import Real
from typing import Any, ClassVar

from lockstep.errors import LockstepError

__all__ = [
    "Detector",
    "DetectorError",
    "Interval",
    "InvalidParameterError",
    "NotFittedError",
    "Options",
    "parse_window",
]


class DetectorError(LockstepError):
    """A detection run cannot proceed (unknown signal, bad workspace, ...)."""


class InvalidParameterError(DetectorError, ValueError):
    """A detector parameter has a value outside what it allows."""


class NotFittedError(DetectorError, AttributeError):
    """A result was asked of a detector that has not been fitted yet."""


# -- declarative parameter constraints --------------------------------------------------------


class Interval:
    """A numeric range constraint: ``Interval(0, 1, closed="both")``; ``None`` is unbounded."""

    def __init__(self, low: float | None, high: float | None, closed: str = "both", integer: bool = False):
        self.low, self.high, self.closed, self.integer = low, high, closed, integer

    def accepts(self, v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, Real) or (isinstance(v, float) and math.isnan(v)):
            return False
        if self.integer and int(v) != v:
            return False
        lo_ok = self.low is None or (v >= self.low if self.closed in ("both", "left") else v > self.low)
        hi_ok = self.high is None or (v <= self.high if self.closed in ("both", "right") else v < self.high)
        return lo_ok and hi_ok

    def __str__(self) -> str:
        kind = "an integer" if self.integer else "a number"
        lb = "[" if self.closed in ("both", "left") else "("
        rb = "]" if self.closed in ("both", "right") else ")"
        lo = "-inf" if self.low is None else self.low
        hi = "inf" if self.high is None else self.high
        return f"{kind} in {lb}{lo}, {hi}{rb}"


class Options:
    """A constraint that accepts one of a fixed set of values."""

    def __init__(self, *values: Any):
        self.values = values

    def accepts(self, v: Any) -> bool:
        return any(v is x if x is None or isinstance(x, bool) else v == x for x in self.values)

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


class _Window:
    def accepts(self, v: Any) -> bool:
        try:
            parse_window(v)
        except InvalidParameterError:
            return False
        return True

    def __str__(self) -> str:
        return "'auto', a duration such as '30s', '5m', '1h', or a number of seconds ≥ 0"


WINDOW = _Window()

_UNITS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_WINDOW_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?\s*$")


def parse_window(value: Any) -> float | None:
    """A window in seconds; ``None`` for ``"auto"``.

    Examples
    --------
    >>> parse_window("90s"), parse_window("2m"), parse_window(5), parse_window("auto")
    (90.0, 120.0, 5.0, None)
    """
    if isinstance(value, str):
        if value.strip().lower() == "auto":
            return None
        m = _WINDOW_RE.match(value.lower())
        if m:
            return float(m.group(1)) * _UNITS[m.group(2) or "s"]
    elif isinstance(value, Real) and not isinstance(value, bool) and value >= 0 and not math.isnan(value):
        return float(value)
    raise InvalidParameterError(
        f"window must be 'auto', a duration such as '30s', '5m', '1h', or seconds ≥ 0; got {value!r}"
    )


# -- the detector base -------------------------------------------------------------------------


class Detector:
    """Base class of co-action detectors.

    Subclasses set ``signal`` (the registry key), ``description``, ``fields`` (post columns the
    signal needs; when none has a value the signal is skipped with a note), ``reason`` (how a
    cluster's one-line reason describes the shared objects) and implement :meth:`actions_sql`.
    """

    signal: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Post columns the signal reads; it is skipped (with a note) when all are empty.
    fields: ClassVar[tuple[str, ...]] = ()
    #: Cluster reason template: ``{n}`` accounts, ``{k}`` objects, ``{dt}`` time.
    reason: ClassVar[str] = "{n} accounts acted on the same {k} objects within {dt}"
    #: Default null model (see lockstep.detect._null).
    default_null: ClassVar[str] = "delay"
    #: What ``window="auto"`` means when the signal has no objects to estimate it from.
    auto_window_s: ClassVar[float | None] = None
    #: Engine capabilities the signal needs (see ``lockstep.engines.Engine.capabilities``).
    requires: ClassVar[frozenset[str]] = frozenset()
    #: Rows of :meth:`actions_sql` that are not actions.
    object_filter: ClassVar[str] = "object IS NOT NULL AND object <> ''"
    #: The objects are slices of the clock, not things people share, so a crowded one is no
    #: reason to set it aside: where the engine runs in this process (which forms only the
    #: co-actions of account pairs with ``min_count`` or more), ``max_pairs_per_object`` bounds
    #: those instead of each object's in-window pairs.
    keeps_heavy_objects: ClassVar[bool] = False

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "window": [WINDOW],
        "min_count": [Interval(1, None, integer=True)],
        "null": [Options("delay", "activity", None)],
        "fdr": [Interval(0, 1, closed="right")],
        "screen_p": [Interval(0, 1)],
        "max_pairs_per_object": [Interval(1, None, integer=True), None],
        "evidence": [Options(True, False)],
    }

    def __init__(
        self,
        *,
        window: str | float = "auto",
        min_count: int = 3,
        null: str | None = "default",
        fdr: float = 0.01,
        screen_p: float = 0.05,
        max_pairs_per_object: int | None = 5_000_000,
        evidence: bool = True,
    ):
        self.window = window
        self.min_count = min_count
        self.null = null
        self.fdr = fdr
        self.screen_p = screen_p
        self.max_pairs_per_object = max_pairs_per_object
        self.evidence = evidence

    # -- scikit-learn style plumbing ---------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            init = klass.__dict__.get("__init__")
            if init is None or klass is object:
                continue
            for p in inspect.signature(init).parameters.values():
                if p.kind == p.KEYWORD_ONLY and p.name not in names:
                    names.append(p.name)
        return names

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters and their current values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Detector:
        """Change parameters (unknown names raise); returns self."""
        valid = set(self._param_names())
        for k, v in params.items():
            if k not in valid:
                raise InvalidParameterError(f"{type(self).__name__} has no parameter {k!r}")
            setattr(self, k, v)
        return self

    def _constraints(self) -> dict[str, list[Any]]:
        merged: dict[str, list[Any]] = {}
        for klass in reversed(type(self).__mro__):
            merged.update(klass.__dict__.get("_parameter_constraints", {}))
        return merged

    def _validate_params(self) -> None:
        for name, allowed in self._constraints().items():
            value = getattr(self, name)
            if name == "null" and value == "default":
                continue
            ok = False
            for c in allowed:
                if c is None:
                    ok = ok or value is None
                elif isinstance(c, type):
                    ok = ok or isinstance(value, c)
                elif isinstance(c, Callable) and not hasattr(c, "accepts"):
                    ok = ok or bool(c(value))
                else:
                    ok = ok or c.accepts(value)
            if not ok:
                what = " or ".join("None" if c is None else str(c) for c in allowed)
                raise InvalidParameterError(
                    f"{type(self).__name__}: parameter {name!r} must be {what}; got {value!r}"
                )

    @property
    def null_model_(self) -> str | None:
        return self.default_null if self.null == "default" else self.null

    @property
    def count_column(self) -> str:
        """The count tested and thresholded by ``min_count``: distinct objects under the delay
        null (and in raw mode), post pairs under the activity null (a hashtag set or a handle is
        one object used again and again)."""
        return "n_pairs" if self.null_model_ == "activity" else "n_objects"

    def _check_fitted(self) -> None:
        if not hasattr(self, "edges_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call .fit(workspace) first"
            )

    # -- what a detector says ------------------------------------------------------------------
    def actions_sql(self, ctx: Any) -> str:
        """SQL over ``ctx.posts`` yielding ``pid, acc, t, object, t_origin`` (one row per action)."""
        raise NotImplementedError

    def prepare(self, ctx: Any) -> None:
        """Optional work before :meth:`actions_sql` (e.g. registering computed tables)."""

    def refine_pairs(self, ctx: Any, pairs_table: str) -> None:
        """Optional filter of the candidate pairs (e.g. verifying text similarity)."""

    def object_label_sql(self, obj_col: str) -> str:
        """SQL turning the object key into the label shown in evidence."""
        return obj_col

    # -- the verb ------------------------------------------------------------------------------
    def fit(self, workspace: Any, *, engine: Any = "duckdb", seed: int = 0) -> Detector:
        """Find the co-action edges of this signal in a workspace.

        Parameters
        ----------
        workspace : Workspace or path
            Where the posts are.
        engine : str or Engine
            Where the queries run (default: DuckDB inside the workspace).
        seed : int
            Seed for any randomness (MinHash permutations).

        Returns
        -------
        self
        """
        from lockstep.detect._context import Context
        from lockstep.detect._pairs import run_detector
        from lockstep.engines import engine_capabilities

        self._validate_params()
        for cap in sorted(self.requires):
            engine_capabilities(engine).require(cap, self.signal)
        with Context.open(workspace, engine=engine) as ctx:
            run_detector(self, ctx, seed=seed)
        return self

    def __repr__(self) -> str:
        defaults = {
            n: p.default
            for klass in reversed(type(self).__mro__)
            if "__init__" in klass.__dict__ and klass is not object
            for n, p in inspect.signature(klass.__dict__["__init__"]).parameters.items()
        }
        changed = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if defaults.get(k, object()) != v)
        return f"{type(self).__name__}({changed})"
