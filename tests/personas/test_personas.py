"""Persona signals and the operator's clock, on synthetic workspaces built in the tests."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import lockstep
from lockstep.cli import app
from lockstep.personas import (
    GroupsError,
    PersonaSignals,
    automation_score,
    claimed_offset,
    holidays,
    persona_signals,
    robust_z,
)

sys.path.insert(0, str(Path(__file__).parent))
from _synth import build_workspace, scenario


def _groups(sc) -> pd.DataFrame:
    return pd.DataFrame({
        "platform": "twitter",
        "account_id": [a["account_id"] for a in sc.accounts],
        "cluster": ["campaign" if a["account_id"].startswith("camp") else "background" for a in sc.accounts],
    })


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    sc = scenario(0)
    ws = build_workspace(tmp_path_factory.mktemp("ws"), sc)
    ws.write_table("clusters", pa.Table.from_pandas(_groups(sc)))
    signals = PersonaSignals(n_bootstrap=100).fit(ws)
    ws.close()
    return signals


def _account(signals, account_id):
    rows = [r for r in signals.accounts_.to_pylist() if r["account_id"] == account_id]
    assert len(rows) == 1
    return rows[0]


def test_campaign_run_in_moscow_office_hours_is_put_on_utc_plus_3_against_its_texas_claim(fitted):
    row = next(r for r in fitted.schedule_.to_pylist() if r["group"] == "campaign")
    assert {k: row[k] for k in ("group_kind", "n_accounts", "utc_offset", "utc_offset_label", "confidence",
                                "offset_low", "offset_high", "pattern", "claimed_offset_low",
                                "claimed_offset_high", "claimed_share", "clock_mismatch_hours")} == {
        "group_kind": "cluster", "n_accounts": 20, "utc_offset": 3, "utc_offset_label": "UTC+3",
        "confidence": 0.86, "offset_low": 1, "offset_high": 5, "pattern": "office hours, weekdays",
        "claimed_offset_low": -6, "claimed_offset_high": -6, "claimed_share": 1.0, "clock_mismatch_hours": 9.0,
    }
    assert row["office_share"] == 1.0 and row["weekend_ratio"] == 0.0
    # 09:00–18:00 at UTC+3 is also 08:00–17:00 at UTC+2 and 10:00–19:00 at UTC+4: the confidence is
    # the prior share of working days that start at 08–10 (86 %), and the readings are listed.
    assert row["workday"] == "workday 09:00–18:00, weekends at 5%"
    assert row["offset_alternatives"].split("; ")[:3] == [
        "UTC+3 36% (workday 09:00–18:00, weekends at 5%)",
        "UTC+2 25% (workday 08:00–17:00, weekends at 5%)",
        "UTC+4 25% (workday 10:00–19:00, weekends at 5%)",
    ]


def test_a_campaign_member_carries_creation_handle_reuse_and_clock_flags(fitted):
    assert _account(fitted, "camp0")["flags"] == [
        "created within 3 days of 19 other cluster members",
        "created within 3 days of 19 other accounts (22.8× the background rate)",
        "handle looks generated (name + 8 digits)",
        "bio identical or near-identical to 19 other account(s)",
        "profile image shared with 19 other account(s)",
        "active on a UTC+3 clock but claims a location at UTC−6",
    ]


def test_a_clockwork_relay_bot_is_flagged_for_volume_regularity_minute_marks_and_client(fitted):
    bot = _account(fitted, "bot0")
    assert bot["flags"] == [
        "posts 96 times per active day (human bound ~50)",
        "100% of posts at exact minute marks",
        "posts at regular intervals (gap CV 0.00)",
        "100% of posts through automation clients",
        f"automation score unusually high (z = {bot['automation_score_z']:.1f}, percentile 100)",
    ]
    assert bot["automation_score_pct"] == 1.0
    assert (bot["interpost_cv"], bot["interpost_entropy"], bot["repost_ratio"]) == (0.0, 0.0, 0.0)


def test_organic_accounts_raise_no_creation_handle_or_reuse_flags(fitted):
    words = ("created within", "handle", "bio", "image", "display name")
    flagged = [r["account_id"] for r in fitted.accounts_.to_pylist()
               if r["account_id"].startswith("org") and any(w in f for f in r["flags"] for w in words)]
    assert flagged == []


def test_the_campaign_cluster_aggregates_its_members(fitted):
    row = next(r for r in fitted.clusters_.to_pylist() if r["cluster"] == "campaign")
    assert {k: row[k] for k in ("n_accounts", "generated_handle_share", "bio_reused_share",
                                "image_reused_share", "display_name_reused_share",
                                "creation_burst_members")} == {
        "n_accounts": 20, "generated_handle_share": 1.0, "bio_reused_share": 1.0, "image_reused_share": 1.0,
        "display_name_reused_share": 0.0, "creation_burst_members": 19,
    }
    assert row["flags"][:4] == [
        "20 members created within 3 days of each other (expected 0.1 others)",
        "100% of members have generated-looking handles",
        "100% of members reuse a bio within the cluster",
        "100% of members reuse a profile image within the cluster",
    ]
    assert "run on a UTC+3 clock (office hours, weekdays), confidence 86%" in row["flags"]


def test_every_scored_signal_has_a_robust_z_and_a_percentile(fitted):
    names = fitted.accounts_.column_names
    assert [c for c in names if c.endswith("_z") and c[:-2] + "_pct" not in names] == []
    assert "automation_score_z" in names and "utc_offset" in names and "flags" in names


@pytest.mark.parametrize("offset", [-8, -5, 0, 5, 9])
def test_the_offset_of_a_ten_account_office_campaign_is_recovered_within_one_hour(tmp_path, offset):
    sc = scenario(offset + 40, campaign_offset=offset, n_campaign=10, n_organic=10, weeks=6)
    with build_workspace(tmp_path, sc) as ws:
        s = PersonaSignals(groups=_groups(sc), n_bootstrap=50).fit(ws)
    row = next(r for r in s.schedule_.to_pylist() if r["group"] == "campaign")
    assert abs(row["utc_offset"] - offset) <= 1


def test_same_seed_gives_the_same_results(tmp_path):
    sc = scenario(3, n_campaign=6, n_organic=8, weeks=4)
    with build_workspace(tmp_path, sc) as ws:
        a = PersonaSignals(groups=_groups(sc), n_bootstrap=30, random_state=7).fit(ws)
        b = PersonaSignals(groups=_groups(sc), n_bootstrap=30, random_state=7).fit(ws)
    assert a.accounts_.equals(b.accounts_) and a.schedule_.equals(b.schedule_) and a.clusters_.equals(b.clusters_)


def test_renames_are_counted_from_the_observed_versions_of_a_profile(tmp_path):
    ws = lockstep.Workspace(tmp_path)
    rows = [("acc1", "first_name", dt.datetime(2017, 1, 1, tzinfo=dt.UTC)),
            ("acc1", "second_name", dt.datetime(2017, 6, 1, tzinfo=dt.UTC)),
            ("acc1", "Third_Name", dt.datetime(2017, 9, 1, tzinfo=dt.UTC)),
            ("acc2", "steady", dt.datetime(2017, 1, 1, tzinfo=dt.UTC)),
            ("acc2", "steady", dt.datetime(2017, 6, 1, tzinfo=dt.UTC))]
    ws.con.register("_o", pa.table({"platform": ["twitter"] * 5, "account_id": [r[0] for r in rows],
                                    "handle": [r[1] for r in rows], "observed_at": [r[2] for r in rows],
                                    "source_file": ["x"] * 5}))
    ws.con.execute("INSERT INTO account_observations BY NAME SELECT *, md5(handle) AS obs_hash FROM _o")
    s = PersonaSignals(n_bootstrap=0).fit(ws)
    ws.close()
    got = {r["account_id"]: (r["handle"], r["n_handle_changes"], r["flags"]) for r in s.accounts_.to_pylist()}
    assert got == {"acc1": ("Third_Name", 2, ["changed handle 2 time(s)"]), "acc2": ("steady", 0, [])}


def test_minute_resolution_data_skips_the_exact_minute_signal_and_says_so(tmp_path):
    sc = scenario(1, n_campaign=3, n_organic=5, weeks=2)
    for p in sc.posts:
        p["created_at"] = p["created_at"].replace(second=0)
    with build_workspace(tmp_path, sc) as ws:
        s = PersonaSignals(n_bootstrap=0).fit(ws)
    assert s.notes_ == ["timestamps have minute resolution: the exact-minute signal is skipped"]
    assert set(s.accounts_.column("on_minute_share").to_pylist()) == {None}


def test_an_empty_workspace_gives_empty_results(tmp_path):
    with lockstep.Workspace(tmp_path) as ws:
        s = persona_signals(ws, n_bootstrap=10)
    assert (s.accounts_.num_rows, s.clusters_) == (0, None)
    assert s.schedule_.to_pylist()[0]["summary"] == "no posts"


def test_groups_without_the_cluster_column_are_refused_with_the_missing_name(tmp_path):
    with lockstep.Workspace(tmp_path) as ws, pytest.raises(GroupsError, match=r"missing \['cluster'\]"):
        PersonaSignals(groups=pd.DataFrame({"platform": ["x"], "account_id": ["y"]})).fit(ws)


def test_the_cli_writes_csv_files_and_workspace_tables(tmp_path):
    sc = scenario(2, n_campaign=8, n_organic=8, weeks=4)
    build_workspace(tmp_path / "ws", sc).close()
    _groups(sc).to_csv(tmp_path / "groups.csv", index=False)
    out = tmp_path / "out" / "personas.csv"
    res = CliRunner().invoke(app, ["personas", "--workspace", str(tmp_path / "ws"), "--out", str(out),
                                   "--groups", str(tmp_path / "groups.csv"), "--n-bootstrap", "20"])
    assert res.exit_code == 0, res.output
    assert "clock of cluster campaign (8 accounts): UTC+3" in res.output
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "personas.clusters.csv", "personas.csv", "personas.schedule.csv"]
    assert len(pd.read_csv(out)) == 17
    with lockstep.Workspace(tmp_path / "ws", read_only=True) as ws:
        assert {"personas", "persona_schedule", "persona_clusters"} <= set(ws.tables())
        assert ws.query("SELECT count(*) AS n FROM personas").column("n").to_pylist() == [17]


def test_the_cli_help_shows_an_example():
    res = CliRunner().invoke(app, ["personas", "--help"])
    assert res.exit_code == 0 and "lockstep personas --workspace ws --out personas.csv" in res.output


# -- the pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("handle", "name", "pattern", "why"), [
    ("JohnSmi12345678", "John Smith", "name+digits", "Twitter's suggested handle: name + 8 digits"),
    ("mary_1987", "Mary", "plain", "a birth year is what people choose"),
    ("xK3j9QpL2w", "Ann", "random", "letters, digits and case switch all the time"),
    ("bcdfghkrt", "Bob", "random", "no vowels"),
    ("RealDonaldFan", "Donald Fan", "plain", "camelCase words are not random"),
])
def test_handle_patterns(handle, name, pattern, why):
    from lockstep.personas._handles import handle_signals

    got = handle_signals(pd.DataFrame({"platform": ["t"], "account_id": ["1"], "handle": [handle],
                                       "display_name": [name]}))
    assert got["handle_pattern"].tolist() == [pattern], why


def test_a_numbered_series_needs_neighbouring_numbers():
    from lockstep.personas._handles import handle_signals

    handles = ["patriot01", "patriot02", "patriot03", "patriot1958274", "maga4479", "maga90817"]
    got = handle_signals(pd.DataFrame({"platform": "t", "account_id": handles, "handle": handles,
                                       "display_name": None}))
    assert got["handle_pattern"].tolist() == ["series", "series", "series", "name+digits", "plain", "name+digits"]


def test_a_display_name_unrelated_to_the_handle_scores_a_high_mismatch():
    from lockstep.personas._handles import handle_signals

    got = handle_signals(pd.DataFrame({"platform": "t", "account_id": ["1", "2", "3"],
                                       "handle": ["jenn_abrams", "wqzptr", "anna"],
                                       "display_name": ["Jenna Abrams", "Michael Brown", "Анна"]}))
    assert got["handle_name_mismatch"].tolist()[0] == 0.0
    assert got["handle_name_mismatch"].tolist()[1] > 0.8
    assert pd.isna(got["handle_name_mismatch"].tolist()[2])  # no Latin letters to compare


@pytest.mark.parametrize(("location", "expected"), [
    ("Texas, USA", (-6, -6)), ("Austin, TX", (-6, -6)), ("new york", (-5, -5)), ("USA", (-8, -5)),
    ("Москва", (3, 3)), ("London, England", (0, 0)), ("in my head", None), ("", None), (None, None),
])
def test_claimed_locations_map_to_standard_time_offsets(location, expected):
    assert claimed_offset(location) == expected


def test_russian_new_year_holidays_and_us_thanksgiving_are_in_the_calendars():
    assert {dt.date(2016, 1, d) for d in range(1, 9)} <= holidays("ru", 2016)
    assert dt.date(2016, 11, 24) in holidays("us", 2016)


def test_holiday_ratio_sees_a_new_year_gap():
    from lockstep.personas._clock import holiday_ratio

    days = [dt.date(2015, 1, 1) + dt.timedelta(days=i) for i in range(3 * 365)]
    ru = holidays("ru", 2015) | holidays("ru", 2016) | holidays("ru", 2017)
    daily = {d: (0.0 if d in ru else 10.0) for d in days}
    assert holiday_ratio(daily, "ru") == 0.0
    # US holidays are ordinary days here, apart from New Year's Day, which both calendars share.
    assert 0.9 < holiday_ratio(daily, "us") < 1.0


def test_robust_z_falls_back_to_the_mean_deviation_when_most_values_are_equal():
    assert robust_z(np.array([0, 0, 0, 0, 5.0])).tolist() == pytest.approx([0, 0, 0, 0, 5 / 1.2533])


def test_the_automation_score_points_each_feature_its_own_way():
    f = pd.DataFrame({"posts_per_day": [1, 2, 3, 200], "interpost_cv": [1.5, 1.2, 1.0, 0.0]})
    s = automation_score(f)
    assert int(np.argmax(s)) == 3 and s[3] > 2



def test_the_repost_ratio_counts_both_extremes_as_automated():
    # Amplifiers repost everything, feeds nothing; people mix.
    f = pd.DataFrame({"repost_ratio": [0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 1.0]})
    s = automation_score(f)
    assert s[3] == 0.0 and min(s[0], s[6]) > 2 > max(s[1:6])
