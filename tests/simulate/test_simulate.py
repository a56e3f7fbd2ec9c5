"""lockstep simulate: deterministic scenarios with honest ground truth."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from lockstep.cli import app
from lockstep.ingest._normalize import normalize_url
from lockstep.schema import POST_FIELDS
from lockstep.simulate import (
    ACCOUNT_COLUMNS,
    HARD_NEGATIVES,
    TACTICS,
    SimulationError,
    Simulator,
    simulate,
)

SMALL = dict(n_accounts=900, n_posts=12000, days=5, n_campaigns=8, campaign_size=(10, 30), n_viral_bursts=1, n_fan_communities=1,
             n_news_bots=4, n_breaking_news=1)


@pytest.fixture(scope="module")
def scenario():
    return Simulator(seed=5, **SMALL).generate().scenario_


@pytest.fixture(scope="module")
def posts(scenario):
    return scenario.posts.to_pandas()


def test_posts_have_the_canonical_columns_an_ingest_does_not_derive_plus_account_columns(scenario):
    derived = {"text_norm", "domains", "source_file", "source_line"}
    expected = [f.name for f in POST_FIELDS if f.name not in derived] + list(ACCOUNT_COLUMNS)
    assert scenario.posts.column_names == expected


def test_the_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path):
    paths = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        out = tmp_path / f"{name}.csv.gz"
        Simulator(seed=seed, **SMALL).generate().scenario_.write(out)
        paths.append(out)
    a, b, c = (p.read_bytes() for p in paths)
    assert a == b
    assert a != c
    assert (tmp_path / "a.labels.csv").read_bytes() == (tmp_path / "b.labels.csv").read_bytes()


def test_post_keys_are_unique_and_references_point_to_earlier_posts_of_the_right_author(posts):
    assert not posts.duplicated(["platform", "post_id"]).any()
    by_id = posts.set_index(["platform", "post_id"])
    for kind, ref, ref_acc in (("repost", "repost_of", "repost_of_account"), ("reply", "reply_to", "reply_to_account")):
        rows = posts[posts.kind == kind]
        assert len(rows) > 0
        target = by_id.loc[list(zip(rows.platform, rows[ref]))]
        assert (target.account_id.to_numpy() == rows[ref_acc].to_numpy()).all()
        assert (target.created_at.to_numpy() < rows.created_at.to_numpy()).all()


def test_a_twitter_repost_is_rt_at_author_plus_the_original_text(posts):
    by_id = posts.set_index(["platform", "post_id"])
    rt = posts[(posts.kind == "repost") & (posts.platform == "twitter")].head(50)
    orig = by_id.loc[list(zip(rt.platform, rt.repost_of))]
    expected = ["RT @" + h + ": " + t for h, t in zip(orig.handle, orig.text)]
    assert list(rt.text) == expected


def test_urls_are_already_normalised_and_appear_in_the_text(posts):
    with_url = posts[posts.urls.map(len) > 0].head(300)
    for text, urls in zip(with_url.text, with_url.urls):
        for u in urls:
            assert normalize_url(u) == u
            assert u in text


def test_every_tactic_and_hard_negative_is_planted_and_labelled(scenario):
    groups = scenario.groups.to_pandas()
    planted = {t for ts in groups.tactics.dropna() for t in ts.split(";")}
    assert planted == set(TACTICS)
    assert set(groups.kind) == {"campaign", *HARD_NEGATIVES}
    labels = scenario.labels.to_pandas()
    campaign = labels[labels.role == "campaign"]
    assert campaign.campaign.notna().all() and campaign.operator_utc_offset.notna().all()
    assert labels[labels.role != "campaign"].campaign.isna().all()
    assert set(labels.role) <= {"organic", "campaign", *HARD_NEGATIVES}


def test_campaign_accounts_post_on_the_operators_clock_and_people_do_not(scenario, posts):
    labels = scenario.labels.to_pandas()
    merged = posts.merge(labels[["platform", "account_id", "role", "operator_utc_offset"]], on=["platform", "account_id"])
    camp = merged[merged.role == "campaign"]
    local_hour = (camp.created_at.dt.hour + camp.operator_utc_offset) % 24
    # Office hours or two shifts: nearly nothing between 1 and 6 local.
    assert ((local_hour >= 1) & (local_hour < 6)).mean() < 0.05
    organic_hours = merged[merged.role == "organic"].created_at.dt.hour
    assert organic_hours.value_counts(normalize=True).max() < 0.1  # many time zones: no single peak


def test_campaign_accounts_are_created_in_bursts_and_people_are_spread(posts, scenario):
    labels = scenario.labels.to_pandas()
    created = posts.drop_duplicates(["platform", "account_id"]).merge(labels, on=["platform", "account_id"])
    def share_with_a_twin(times) -> float:
        """Share of accounts created within a day of another account of the same set."""
        t = np.sort(times.astype("int64").to_numpy()) / 86_400e6
        gaps = np.diff(t)
        near = np.r_[gaps < 1, False] | np.r_[False, gaps < 1]
        return float(near.mean())

    for _, members in created[created.role == "campaign"].groupby("campaign"):
        assert share_with_a_twin(members.account_created_at) >= 0.7
    sample = created[created.role == "organic"].account_created_at.sample(20, random_state=0)
    assert share_with_a_twin(sample) < 0.3
    people = created[created.role == "organic"].account_created_at
    assert people.dt.year.nunique() >= 10


def test_news_bots_post_the_outlets_headlines_verbatim(posts, scenario):
    labels = scenario.labels.to_pandas()
    bots = set(labels[labels.role == "news_bot"].account_id)
    bot_posts = posts[posts.account_id.isin(bots)]
    assert len(bot_posts) > 0
    texts = posts.groupby("text").account_id.nunique()
    assert (texts.loc[bot_posts.text.unique()] >= 2).mean() > 0.9


def test_csv_list_columns_are_json_arrays(tmp_path, scenario):
    out = tmp_path / "s.csv"
    scenario.write(out)
    table = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    assert table.num_rows == len(scenario)
    for col in ("urls", "hashtags", "mentions", "media"):
        parsed = [json.loads(v) for v in table[col].to_pylist()]
        assert parsed == scenario.posts[col].to_pylist()


def test_parquet_round_trips(tmp_path, scenario):
    out = tmp_path / "s.parquet"
    paths = scenario.write(out)
    assert pq.read_table(out).equals(scenario.posts)
    assert paths["labels"] == tmp_path / "s.labels.csv"
    assert pacsv.read_csv(paths["labels"]).num_rows == scenario.labels.num_rows


def test_scale_reaches_the_requested_number_of_posts_roughly():
    sc = simulate("demo", seed=0, n_posts=40_000)
    assert 32_000 < len(sc) < 48_000


def test_viral_bursts_are_large_and_fast(scenario, posts):
    groups = scenario.groups.to_pandas()
    burst = groups[groups.kind == "viral_burst"].iloc[0]
    assert burst.n_accounts >= 50
    assert (burst.last_at - burst.first_at).total_seconds() < 3 * 3600


@pytest.mark.parametrize(("param", "value", "message"), [
    ("days", 0, "days must be a int in [1, 366], got 0"),
    ("tactics", ("co_repost", "telepathy"), "tactics must be a non-empty subset of"),
    ("campaign_size", (1, 5), "campaign_size must be (low, high) with 2 <= low <= high"),
])
def test_bad_parameters_name_the_parameter(param, value, message):
    with pytest.raises(SimulationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")):
        Simulator(**{param: value}).generate()


def test_the_cli_writes_posts_labels_and_groups_and_prints_a_summary(tmp_path):
    out = tmp_path / "demo.parquet"
    result = CliRunner().invoke(app, ["simulate", "--out", str(out), "--scenario", "demo", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "demo (seed 2):" in result.output
    assert out.exists() and (tmp_path / "demo.labels.csv").exists() and (tmp_path / "demo.groups.csv").exists()


def test_the_cli_refuses_an_unknown_suffix_and_an_unknown_scenario(tmp_path):
    r1 = CliRunner().invoke(app, ["simulate", "--out", str(tmp_path / "x.txt")])
    r2 = CliRunner().invoke(app, ["simulate", "--out", str(tmp_path / "x.csv"), "--scenario", "nope"])
    assert (r1.exit_code, r2.exit_code) == (2, 2)
    assert "cannot tell the format" in r1.output
    assert "unknown scenario 'nope'" in r2.output


def test_generated_handles_are_unique_per_platform(scenario):
    labels = scenario.labels.to_pandas()
    assert not labels.assign(h=labels.handle.str.lower()).duplicated(["platform", "h"]).any()
    assert not labels.duplicated(["platform", "account_id"]).any()


def test_help_shows_an_example():
    result = CliRunner().invoke(app, ["simulate", "--help"])
    assert "lockstep simulate --out scenario.parquet" in result.output



