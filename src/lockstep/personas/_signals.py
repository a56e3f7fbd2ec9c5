"""PersonaSignals: every persona signal per account, aggregated per cluster, and the operator's clock."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from lockstep.errors import LockstepError
from lockstep.personas import _automation, _clock, _creation, _handles, _reuse
from lockstep.personas._stats import percentile, robust_z
from lockstep.workspace import Workspace

__all__ = ["PersonaSignals", "persona_signals", "read_groups"]

#: Numeric signals that get a robust z-score (``<name>_z``) and a percentile (``<name>_pct``).
SCORED_SIGNALS = (
    "created_near", "creation_burst_ratio",
    "handle_digits", "handle_randomness", "handle_series", "handle_name_mismatch",
    "n_handle_changes", "n_name_changes",
    "bio_shared", "display_name_shared", "image_shared",
    "posts_per_day", "max_posts_per_day", "repost_ratio", "reply_ratio", "on_minute_share",
    "interpost_cv", "interpost_entropy", "n_clients", "automation_client_share", "automation_score",
    "office_share", "weekend_ratio", "night_share",
)

_GENERATED_PATTERNS = ("name+digits", "random", "series")


class GroupsError(LockstepError):
    """A groups file or clusters table lacks the columns platform, account_id, cluster."""


def _params_error(name: str, allowed: str, value: object) -> LockstepError:
    return LockstepError(f"PersonaSignals: parameter {name} must be {allowed}, got {value!r}")


class PersonaSignals:
    """Persona signals per account and cluster, and the operator's clock per group.

    Parameters
    ----------
    creation_window_days : float
        Accounts created within ± this many days of each other count as created together.
    creation_background_days : float
        ± window that sets the background creation rate a burst is compared with.
    min_gaps : int
        Fewest inter-post gaps for the regularity signals (CV, entropy) of an account.
    min_posts_clock : int
        Fewest posts for an account's own clock; groups pool their accounts' posts.
    min_accounts_resample : int
        Groups with at least this many posting accounts are bootstrapped over accounts, smaller
        groups over account-weeks.
    n_bootstrap : int
        Bootstrap replicates for the clock's confidence.
    account_weight : {"equal", "posts"}
        How accounts weigh in a group's clock: equally (default; one prolific feed does not set a
        group's clock) or by their number of posts.
    flag_z : float
        Robust z-score beyond which an unusual value raises a flag.
    groups : str, path, DataFrame or Arrow table, optional
        Groups (columns platform, account_id, cluster) to aggregate over; default: the
        workspace's ``clusters`` table when it exists.
    random_state : int
        Seed of the bootstrap.

    Attributes
    ----------
    accounts_ : pyarrow.Table
        One row per account: each signal, its ``_z`` (robust z-score against all accounts) and
        ``_pct`` (percentile), the account's own clock, and ``flags`` (list of sentences).
    clusters_ : pyarrow.Table or None
        One row per cluster when groups exist: aggregated signals, the group's clock and flags.
    schedule_ : pyarrow.Table
        One row per group (``all`` plus each cluster): inferred UTC offset, confidence (the
        probability that the offset is within ±1 h), 90 % interval, the most probable working
        pattern (``workday``), the offsets the data cannot rule out with the working day each
        implies (``offset_alternatives``; ``offset_elsewhere`` those more than 1 h away), holiday
        ratios and claimed-location comparison.
    notes_ : list of str
        What the data could not support (e.g. minute-resolution timestamps).

    Examples
    --------
    >>> import tempfile, lockstep
    >>> from lockstep.personas import PersonaSignals
    >>> ws = lockstep.Workspace(tempfile.mkdtemp())
    >>> PersonaSignals(n_bootstrap=20).fit(ws).accounts_.num_rows
    0
    >>> ws.close()
    """

    def __init__(
        self,
        *,
        creation_window_days: float = 3.0,
        creation_background_days: float = 90.0,
        min_gaps: int = 10,
        min_posts_clock: int = 50,
        min_accounts_resample: int = 8,
        n_bootstrap: int = 200,
        account_weight: str = "equal",
        flag_z: float = 3.0,
        groups: Any = None,
        random_state: int = 0,
    ):
        self.creation_window_days = creation_window_days
        self.creation_background_days = creation_background_days
        self.min_gaps = min_gaps
        self.min_posts_clock = min_posts_clock
        self.min_accounts_resample = min_accounts_resample
        self.n_bootstrap = n_bootstrap
        self.account_weight = account_weight
        self.flag_z = flag_z
        self.groups = groups
        self.random_state = random_state

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters, as given."""
        return {k: getattr(self, k) for k in (
            "creation_window_days", "creation_background_days", "min_gaps", "min_posts_clock",
            "min_accounts_resample", "n_bootstrap", "account_weight", "flag_z", "groups",
            "random_state")}

    def _validate(self) -> None:
        if not self.creation_window_days > 0:
            raise _params_error("creation_window_days", "> 0", self.creation_window_days)
        if not self.creation_background_days > self.creation_window_days:
            raise _params_error("creation_background_days", "> creation_window_days",
                                self.creation_background_days)
        for name in ("min_gaps", "min_posts_clock", "min_accounts_resample", "n_bootstrap"):
            v = getattr(self, name)
            if not isinstance(v, int | np.integer) or v < 0:
                raise _params_error(name, "an integer ≥ 0", v)
        if self.account_weight not in ("equal", "posts"):
            raise _params_error("account_weight", "'equal' or 'posts'", self.account_weight)

    # -- the work ----------------------------------------------------------------------------

    def fit(self, workspace: Workspace | str | os.PathLike[str]) -> PersonaSignals:
        """Compute every signal from a workspace's posts and accounts.

        Parameters
        ----------
        workspace : Workspace or path

        Returns
        -------
        self
        """
        self._validate()
        if isinstance(workspace, Workspace):
            return self._fit(workspace)
        with Workspace(workspace, read_only=True) as ws:
            return self._fit(ws)

    def _fit(self, ws: Workspace) -> PersonaSignals:
        con = ws.con
        self.notes_: list[str] = []
        rng = np.random.default_rng(self.random_state)

        auto = con.sql(_automation.automation_sql(self.min_gaps)).df()
        if _automation.minute_resolution(con):
            auto["on_minute_share"] = np.nan
            self.notes_.append("timestamps have minute resolution: the exact-minute signal is skipped")
        profiles = con.sql(
            "SELECT platform, account_id, handle, display_name, location FROM accounts"
        ).df()
        base = pd.concat([auto[["platform", "account_id"]], profiles[["platform", "account_id"]]])
        base = base.drop_duplicates().sort_values(["platform", "account_id"], kind="stable")
        df = base.merge(profiles, how="left", on=["platform", "account_id"])

        # Creation bursts
        creation = con.sql(_creation.creation_sql(self.creation_window_days,
                                                  self.creation_background_days)).df()
        if len(creation):
            ratio, p = _creation.burst_ratio(creation["created_near"], creation["created_background"],
                                             self.creation_window_days, self.creation_background_days)
            creation["creation_burst_ratio"] = ratio
            creation["creation_burst_p"] = p
        else:
            creation = creation.assign(creation_burst_ratio=[], creation_burst_p=[])
            self.notes_.append("no account creation dates: creation bursts are skipped")
        df = df.merge(creation.drop(columns=["created_background"]), how="left",
                      on=["platform", "account_id"])

        # Handles, renames, reuse
        df = df.merge(_handles.handle_signals(df), how="left", on=["platform", "account_id"])
        df = df.merge(con.sql(_handles.RENAMES_SQL).df(), how="left", on=["platform", "account_id"])
        reuse = con.sql(_reuse.reuse_sql()).df()
        df = df.merge(reuse, how="left", on=["platform", "account_id"])

        # Automation
        df = df.merge(auto, how="left", on=["platform", "account_id"])
        df["automation_score"] = _automation.automation_score(df)

        # Clocks
        hist = _HourOfWeek.load(con, df)
        df = self._account_clocks(df, hist, rng)
        groups = self._load_groups(ws, df)
        schedule = self._schedules(con, df, hist, groups, rng)

        for col in SCORED_SIGNALS:
            x = df[col].to_numpy(dtype=float) if col in df else np.full(len(df), np.nan)
            df[f"{col}_z"] = np.round(robust_z(x), 3)
            df[f"{col}_pct"] = np.round(percentile(x), 4)
        if groups is not None:
            df = self._cluster_creation(df, groups)
        df["flags"] = [self._account_flags(r) for r in df.to_dict("records")]

        self.schedule_ = pa.Table.from_pandas(schedule, preserve_index=False)
        self.clusters_ = None
        if groups is not None:
            self.clusters_ = pa.Table.from_pandas(self._clusters(df, groups, schedule),
                                                  preserve_index=False)
        drop = [c for c in ("bio_key", "name_key", "image_key") if c in df]
        self._keys = df[["platform", "account_id", *drop]]
        self.accounts_ = pa.Table.from_pandas(df.drop(columns=drop), preserve_index=False)
        return self

    # -- clocks ------------------------------------------------------------------------------

    def _account_clocks(self, df: pd.DataFrame, hist: _HourOfWeek, rng: np.random.Generator) -> pd.DataFrame:
        off = np.full(len(df), np.nan)
        conf = np.full(len(df), np.nan)
        office = np.full(len(df), np.nan)
        weekend = np.full(len(df), np.nan)
        night = np.full(len(df), np.nan)
        claimed = [_clock.claimed_offset(x) if isinstance(x, str) else None for x in df["location"]]
        pos = {k: i for i, k in enumerate(zip(df["platform"], df["account_id"]))}
        for a, key in enumerate(hist.accounts):
            i = pos.get(key)
            if i is None or hist.totals[a] < self.min_posts_clock:
                continue
            weeks = hist.units[hist.unit_account == a]
            fit = _clock.fit_clock(weeks, n_bootstrap=min(self.n_bootstrap, 100), rng=rng)
            o, c = fit.utc_offset, fit.confidence
            if o is None:
                continue
            pat = _clock.working_pattern(weeks.sum(axis=0), o)
            off[i], conf[i] = o, c
            office[i], weekend[i], night[i] = pat["office_share"], pat["weekend_ratio"], pat["night_share"]
        df["utc_offset"] = pd.array([None if np.isnan(x) else float(x) for x in off], dtype="Float64")
        df["utc_offset_confidence"] = np.round(conf, 3)
        df["office_share"] = office
        df["weekend_ratio"] = np.where(np.isinf(weekend), np.nan, weekend)
        df["night_share"] = night
        df["claimed_offset_low"] = pd.array([c[0] if c else None for c in claimed], dtype="Int64")
        df["claimed_offset_high"] = pd.array([c[1] if c else None for c in claimed], dtype="Int64")
        df["clock_mismatch_hours"] = [
            _clock.offset_mismatch(None if pd.isna(o) else float(o), c) for o, c in zip(df["utc_offset"], claimed)
        ]
        return df

    def _load_groups(self, ws: Workspace, df: pd.DataFrame) -> pd.DataFrame | None:
        if self.groups is not None:
            g = read_groups(self.groups)
        elif "clusters" in ws.tables():
            g = read_groups(ws.table("clusters"))
        else:
            return None
        known = df[["platform", "account_id"]]
        missing = len(g.merge(known, how="left", indicator=True).query("_merge == 'left_only'"))
        if missing:
            self.notes_.append(f"{missing} group members are not in the workspace and are ignored")
        return g.merge(known, on=["platform", "account_id"])

    def _schedules(self, con: Any, df: pd.DataFrame, hist: _HourOfWeek, groups: pd.DataFrame | None,
                   rng: np.random.Generator) -> pd.DataFrame:
        members = [("all", "all", list(range(len(hist.accounts))))]
        if groups is not None:
            idx = {k: i for i, k in enumerate(hist.accounts)}
            for cluster, g in groups.groupby("cluster", sort=True):
                accs = [idx[k] for k in zip(g["platform"], g["account_id"]) if k in idx]
                members.append(("cluster", str(cluster), accs))
        claims = {k: _clock.claimed_offset(x) if isinstance(x, str) else None
                  for k, x in zip(zip(df["platform"], df["account_id"]), df["location"])}
        if groups is not None:
            group_claims = {str(c): [claims.get(k) for k in zip(g["platform"], g["account_id"])]
                            for c, g in groups.groupby("cluster", sort=True)}
        else:
            group_claims = {}
        group_claims["all"] = list(claims.values())

        rows = []
        for kind, name, accs in members:
            units, n_posts = hist.group_units(accs, self.min_accounts_resample, self.account_weight)
            fit = _clock.fit_clock(units, n_bootstrap=self.n_bootstrap, rng=rng)
            o, conf, lo, hi = fit.utc_offset, fit.confidence, fit.offset_low, fit.offset_high
            pat = _clock.working_pattern(units.sum(axis=0) if len(units) else np.zeros(168), o)
            claim, claim_share = _clock.modal_claim(group_claims.get(name, []))
            rows.append({
                "group_kind": kind, "group": name, "n_accounts": len(accs), "n_posts": n_posts,
                "utc_offset": o, "utc_offset_label": _clock.format_offset(o),
                "confidence": None if conf != conf else round(conf, 3),
                "offset_low": lo, "offset_high": hi,
                "workday": fit.pattern.describe() if fit.pattern is not None else None,
                "offset_alternatives": fit.alternatives_text() or None,
                "offset_elsewhere": "; ".join(
                    f"{_clock.format_offset(a)} {p:.0%} ({pat.describe()})" for a, p, pat in fit.alternatives
                    if o is not None and _clock.circular_hours(a, o) > 1 and p >= 0.1) or None,
                "dispersion": round(fit.dispersion, 2) if fit.dispersion == fit.dispersion else None,
                **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in pat.items()},
                "claimed_offset_low": claim[0] if claim else None,
                "claimed_offset_high": claim[1] if claim else None,
                "claimed_share": round(claim_share, 3),
                "clock_mismatch_hours": _clock.offset_mismatch(o, claim),
            })
        sched = pd.DataFrame(rows)
        # Holiday gaps, on local dates at each group's inferred offset.
        daily = self._daily_local(con, hist, members, sched)
        for cal in _clock.HOLIDAY_CALENDARS:
            sched[f"holiday_ratio_{cal}"] = [
                round(_clock.holiday_ratio(daily.get(name, {}), cal), 3) for name in sched["group"]
            ]
        sched["summary"] = [_schedule_summary(r) for r in sched.to_dict("records")]
        for c in ("utc_offset", "offset_low", "offset_high"):
            sched[c] = pd.array(sched[c], dtype="Float64")
        for c in ("claimed_offset_low", "claimed_offset_high"):
            sched[c] = pd.array(sched[c], dtype="Int64")
        return sched

    def _daily_local(self, con: Any, hist: _HourOfWeek, members: list, sched: pd.DataFrame) -> dict:
        rows = []
        for (_, name, accs), off in zip(members, sched["utc_offset"]):
            if off is None or off != off:
                continue
            for a in accs:
                rows.append((hist.accounts[a][0], hist.accounts[a][1], name, round(float(off) * 60)))
        if not rows:
            return {}
        gm = pa.table({k: v for k, v in zip(("platform", "account_id", "grp", "off"), zip(*rows))})
        con.register("_persona_groups", gm)
        try:
            res = con.sql(
                "SELECT grp, CAST(p.created_at + to_minutes(g.off) AS DATE) AS d, count(*) AS n "
                "FROM posts p JOIN _persona_groups g USING (platform, account_id) GROUP BY ALL"
            ).fetchall()
        finally:
            con.unregister("_persona_groups")
        out: dict[str, dict[dt.date, float]] = {}
        for grp, d, n in res:
            out.setdefault(grp, {})[d] = float(n)
        return out

    # -- clusters ----------------------------------------------------------------------------

    def _cluster_creation(self, df: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
        # Per member: fellow members created within ±window.
        m = groups.merge(df[["platform", "account_id", "account_created_at"]], on=["platform", "account_id"])
        m = m.dropna(subset=["account_created_at"])
        win = pd.Timedelta(days=self.creation_window_days)
        out = []
        for _, g in m.groupby("cluster", sort=True):
            t = g["account_created_at"].to_numpy(dtype="datetime64[us]")
            srt = np.sort(t)
            near = (np.searchsorted(srt, t + win.to_timedelta64(), side="right")
                    - np.searchsorted(srt, t - win.to_timedelta64(), side="left") - 1)
            out.append(pd.DataFrame({"platform": g["platform"].to_numpy(), "account_id": g["account_id"].to_numpy(),
                                     "cluster": g["cluster"].to_numpy(), "cluster_created_near": near}))
        cc = (pd.concat(out) if out else
              pd.DataFrame(columns=["platform", "account_id", "cluster", "cluster_created_near"]))
        # An account in several clusters keeps the largest count.
        cc = cc.sort_values("cluster_created_near", ascending=False).drop_duplicates(["platform", "account_id"])
        df = df.merge(cc.drop(columns=["cluster"]), how="left", on=["platform", "account_id"])
        df["cluster_created_near"] = pd.array(df["cluster_created_near"], dtype="Int64")
        return df

    def _clusters(self, df: pd.DataFrame, groups: pd.DataFrame, schedule: pd.DataFrame) -> pd.DataFrame:
        d = groups.merge(df, on=["platform", "account_id"])
        n_dated = int(df["account_created_at"].notna().sum())
        bursts = _creation.cluster_bursts(
            d.dropna(subset=["account_created_at"])[["cluster", "account_created_at", "created_near"]],
            n_dated, self.creation_window_days)
        rows = []
        for cluster, g in d.groupby("cluster", sort=True):
            def share_within(key: str, g: pd.DataFrame = g) -> float:
                k = g[key].dropna()
                return float(k.duplicated(keep=False).sum() / len(g)) if len(g) else float("nan")
            rows.append({
                "cluster": str(cluster), "n_accounts": len(g),
                "n_posts": int(g["n_posts"].fillna(0).sum()),
                "generated_handle_share": float(g["handle_pattern"].isin(_GENERATED_PATTERNS).mean()),
                "bio_reused_share": share_within("bio_key"),
                "display_name_reused_share": share_within("name_key"),
                "image_reused_share": share_within("image_key"),
                "automation_score_median": _nanmedian(g["automation_score"]),
                "posts_per_day_median": _nanmedian(g["posts_per_day"]),
                "repost_ratio_median": _nanmedian(g["repost_ratio"]),
            })
        out = pd.DataFrame(rows)
        bursts["cluster"] = bursts["cluster"].astype(str)
        out = out.merge(bursts, how="left", on="cluster")
        all_scores = df["automation_score"].to_numpy(dtype=float)
        known = np.sort(all_scores[~np.isnan(all_scores)])
        out["automation_score_median_pct"] = [
            round(float(np.searchsorted(known, x, side="right") / known.size), 4) if known.size and x == x
            else np.nan for x in out["automation_score_median"]
        ]
        sched = schedule[schedule["group_kind"] == "cluster"].drop(columns=["group_kind", "n_accounts", "n_posts"])
        out = out.merge(sched.rename(columns={"group": "cluster"}), how="left", on="cluster")
        out["flags"] = [self._cluster_flags(r) for r in out.to_dict("records")]
        return out

    # -- flags -------------------------------------------------------------------------------

    def _account_flags(self, r: dict[str, Any]) -> list[str]:
        f: list[str] = []
        w = _days(self.creation_window_days)
        near = r.get("cluster_created_near")
        if near is not None and near == near and near >= 3:
            f.append(f"created within {w} of {int(near)} other cluster members")
        if _num(r.get("creation_burst_p")) < 1e-3 and _num(r.get("created_near")) >= 5:
            f.append(f"created within {w} of {int(r['created_near'])} other accounts "
                     f"({r['creation_burst_ratio']:.1f}× the background rate)")
        pat = r.get("handle_pattern")
        if pat == "name+digits":
            f.append(f"handle looks generated (name + {int(r['handle_digits'])} digits)")
        elif pat == "random":
            f.append("handle looks like random characters")
        elif pat == "series":
            f.append(f"handle is one of a numbered series ({int(r['handle_series']) + 1} accounts share its stem)")
        if _num(r.get("handle_name_mismatch")) >= 0.8 and _num(r.get("handle_name_mismatch_z")) >= 2:
            f.append("handle unrelated to the display name")
        if _num(r.get("n_handle_changes")) >= 1:
            f.append(f"changed handle {int(r['n_handle_changes'])} time(s)")
        for col, what in (("bio_shared", "bio identical or near-identical to"),
                          ("image_shared", "profile image shared with"),
                          ("display_name_shared", "display name shared with")):
            v = _num(r.get(col))
            if v >= 1 and (col != "display_name_shared" or _num(r.get(f"{col}_z")) >= self.flag_z):
                f.append(f"{what} {int(v)} other account(s)")
        ppd = _num(r.get("posts_per_day"))
        if ppd > _automation.HUMAN_POSTS_PER_DAY:
            f.append(f"posts {ppd:.0f} times per active day (human bound ~{_automation.HUMAN_POSTS_PER_DAY:.0f})")
        if _num(r.get("on_minute_share")) >= 0.5 and _num(r.get("n_posts")) >= 10:
            f.append(f"{r['on_minute_share']:.0%} of posts at exact minute marks")
        if _num(r.get("interpost_cv")) < 0.3:
            f.append(f"posts at regular intervals (gap CV {r['interpost_cv']:.2f})")
        if _num(r.get("repost_ratio")) >= 0.9 and _num(r.get("repost_ratio_z")) >= 2 and _num(r.get("n_posts")) >= 10:
            f.append(f"{r['repost_ratio']:.0%} of posts are reposts")
        if _num(r.get("automation_client_share")) >= 0.5:
            f.append(f"{r['automation_client_share']:.0%} of posts through automation clients")
        if _num(r.get("automation_score_z")) >= self.flag_z:
            f.append(f"automation score unusually high (z = {r['automation_score_z']:.1f}, "
                     f"percentile {100 * r['automation_score_pct']:.0f})")
        mm = _num(r.get("clock_mismatch_hours"))
        if mm >= 3 and _num(r.get("utc_offset_confidence")) >= 0.8:
            f.append(f"active on a {_clock.format_offset(r['utc_offset'])} clock but claims a location at "
                     f"{_range(r['claimed_offset_low'], r['claimed_offset_high'])}")
        return f

    def _cluster_flags(self, r: dict[str, Any]) -> list[str]:
        f: list[str] = []
        if _num(r.get("creation_burst_p")) < 1e-3 and _num(r.get("creation_burst_members")) >= 3:
            f.append(f"{int(r['creation_burst_members']) + 1} members created within "
                     f"{_days(self.creation_window_days)} of each other "
                     f"(expected {r['creation_burst_expected']:.1f} others)")
        if _num(r.get("generated_handle_share")) >= 0.3:
            f.append(f"{r['generated_handle_share']:.0%} of members have generated-looking handles")
        for col, what in (("bio_reused_share", "reuse a bio"), ("image_reused_share", "reuse a profile image"),
                          ("display_name_reused_share", "reuse a display name")):
            if _num(r.get(col)) >= 0.2:
                f.append(f"{r[col]:.0%} of members {what} within the cluster")
        if _num(r.get("automation_score_median_pct")) >= 0.9:
            f.append(f"typical member more automated than {r['automation_score_median_pct']:.0%} of accounts")
        if r.get("utc_offset") is not None and r.get("utc_offset") == r.get("utc_offset") \
                and _num(r.get("confidence")) >= 0.8:
            f.append(f"run on a {r['utc_offset_label']} clock ({r['pattern']}), confidence {r['confidence']:.0%}")
            if r.get("offset_elsewhere"):
                f.append(f"clock could also be {r['offset_elsewhere']}")
            if _num(r.get("clock_mismatch_hours")) >= 3:
                f.append(f"claims a location at {_range(r['claimed_offset_low'], r['claimed_offset_high'])}, "
                         f"{r['clock_mismatch_hours']:.0f} h from its clock")
        return f


class _HourOfWeek:
    """Posts per (account, UTC week, UTC hour-of-week), as dense account-week rows."""

    SQL = """
SELECT platform, account_id, date_trunc('week', created_at) AS week,
       ((isodow(created_at) - 1) * 24 + hour(created_at))::INT AS how, count(*)::INT AS n
FROM posts GROUP BY ALL ORDER BY platform, account_id, week
"""

    def __init__(self, accounts: list[tuple[str, str]], units: np.ndarray, unit_account: np.ndarray):
        self.accounts = accounts
        self.units = units
        self.unit_account = unit_account
        self.totals = np.bincount(unit_account, weights=units.sum(axis=1), minlength=len(accounts)) \
            if len(units) else np.zeros(len(accounts))
        self.account_hist = np.zeros((len(accounts), 168))
        if len(units):
            np.add.at(self.account_hist, unit_account, units)

    @classmethod
    def load(cls, con: Any, df: pd.DataFrame) -> _HourOfWeek:
        t = con.sql(cls.SQL).df()
        if t.empty:
            return cls([], np.zeros((0, 168)), np.zeros(0, dtype=int))
        acc_key = t["platform"] + "\x00" + t["account_id"]
        acc_codes, acc_uniques = pd.factorize(acc_key, sort=False)
        unit_key = acc_key + "\x00" + t["week"].astype(str)
        unit_codes, _ = pd.factorize(unit_key, sort=False)
        units = np.zeros((unit_codes.max() + 1, 168))
        np.add.at(units, (unit_codes, t["how"].to_numpy()), t["n"].to_numpy())
        unit_account = np.zeros(len(units), dtype=int)
        unit_account[unit_codes] = acc_codes
        accounts = [tuple(k.split("\x00", 1)) for k in acc_uniques]
        return cls(accounts, units, unit_account)  # type: ignore[arg-type]

    def group_units(self, accs: list[int], min_accounts: int, weight: str) -> tuple[np.ndarray, int]:
        """Resampling units of a group (accounts, or account-weeks for small groups), weighted."""
        if not accs:
            return np.zeros((0, 168)), 0
        accs_arr = np.array(sorted(accs))
        totals = self.totals[accs_arr]
        n_posts = int(totals.sum())
        scale = (totals.mean() / np.maximum(totals, 1)) if weight == "equal" else np.ones(len(accs_arr))
        if len(accs_arr) >= min_accounts:
            return self.account_hist[accs_arr] * scale[:, None], n_posts
        sel = np.isin(self.unit_account, accs_arr)
        pos = np.searchsorted(accs_arr, self.unit_account[sel])
        return self.units[sel] * scale[pos][:, None], n_posts


def read_groups(groups: Any) -> pd.DataFrame:
    """Groups as a DataFrame of platform, account_id, cluster (strings) from a CSV/Parquet path,
    a DataFrame or an Arrow table."""
    if isinstance(groups, str | os.PathLike):
        p = Path(groups)
        if not p.exists():
            raise GroupsError(f"{p}: groups file not found")
        if p.suffix.lower() == ".parquet":
            g = pd.read_parquet(p)
        else:
            g = pd.read_csv(p, dtype=str, keep_default_na=False)
    elif isinstance(groups, pa.Table):
        g = groups.to_pandas()
    elif isinstance(groups, pd.DataFrame):
        g = groups
    else:
        try:
            g = groups.to_pandas()  # polars
        except AttributeError:
            raise GroupsError(f"groups must be a path, DataFrame or Arrow table, not {type(groups).__name__}") \
                from None
    missing = {"platform", "account_id", "cluster"} - set(g.columns)
    if missing:
        raise GroupsError(f"groups need columns platform, account_id, cluster; missing {sorted(missing)}")
    g = g[["platform", "account_id", "cluster"]].dropna().astype(str)
    return g.drop_duplicates().reset_index(drop=True)


def persona_signals(workspace: Workspace | str | os.PathLike[str], **params: Any) -> PersonaSignals:
    """Fit :class:`PersonaSignals` on a workspace; keyword arguments are its parameters."""
    return PersonaSignals(**params).fit(workspace)


def _num(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return x


def _nanmedian(s: pd.Series) -> float:
    x = s.to_numpy(dtype=float)
    x = x[~np.isnan(x)]
    return float(np.median(x)) if x.size else float("nan")


def _days(d: float) -> str:
    return f"{d:g} day" if d == 1 else f"{d:g} days"


def _range(lo: Any, hi: Any) -> str:
    if lo is None or lo != lo:
        return "an unknown offset"
    if lo == hi:
        return _clock.format_offset(lo)
    return f"{_clock.format_offset(lo)} … {_clock.format_offset(hi)}"


def _schedule_summary(r: dict[str, Any]) -> str:
    if r["utc_offset"] is None:
        return "no posts"
    conf = r["confidence"]
    conf_s = "" if conf is None else f", confidence {conf:.0%} (±1 h)"
    s = (f"{_clock.format_offset(r['utc_offset'])}{conf_s}: {r['pattern']} ({r['workday']}); "
         f"{r['office_share']:.0%} of activity in weekday office hours, weekend/weekday {r['weekend_ratio']:.2f}")
    hol = [f"{cal.upper()} holidays at {r[f'holiday_ratio_{cal}']:.0%} of normal"
           for cal in _clock.HOLIDAY_CALENDARS
           if r.get(f"holiday_ratio_{cal}") == r.get(f"holiday_ratio_{cal}") and r.get(f"holiday_ratio_{cal}") is not None]
    if hol:
        s += "; " + ", ".join(hol)
    if r.get("claimed_offset_low") is not None:
        s += (f"; accounts claim {_range(r['claimed_offset_low'], r['claimed_offset_high'])} "
              f"({r['claimed_share']:.0%} of them)")
    return s
