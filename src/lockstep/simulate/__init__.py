"""Synthetic scenarios with ground truth: an organic background, hard negatives, planted campaigns.

``simulate("default", seed=0)`` returns a :class:`Scenario` whose ``posts`` are canonical post rows
(plus the author's profile columns on each row) and whose ``labels`` say, for every account,
whether it is organic, a campaign persona, or a hard negative. Everything is drawn with numpy
from one seed, so the same seed writes the same bytes.

Organic background
    People in thirteen real UTC offsets (Los Angeles to Sydney), each with a chronotype shift
    and a weekday/weekend taste, post in their local waking hours (night trough, evening peak).
    Activity per account is lognormal (a few post hundreds of times, most a handful). Reposts
    and replies go to posts chosen by popularity (author followers × a lognormal draw: a heavy
    tail), after a delay that is mostly minutes, sometimes hours, and only when the reposter is
    plausibly awake. Links come from a pool of news and other sites with Zipf popularity, so
    popular URLs are shared by many people independently; hashtags from a Zipf-weighted topic
    list. A share of accounts are Telegram channels that post and forward the same links.

Hard negatives (labelled, never campaigns)
    ``viral_burst``: one post reposted by 20-50% of Twitter users within minutes.
    ``fan_community``: 30-150 fans who repost a celebrity's every post within seconds to
    minutes, day after day (when awake). ``news_bot``: feed bots that post each headline of the
    outlets they follow, verbatim (same text, same URL), minutes after the outlet, around the
    clock, some on Telegram too. ``breaking_news``: hundreds of people share one news link,
    often with the event's hashtag, within minutes of publication.

Campaign tactics (each campaign uses one to three)
    ``co_repost``: members repost the same posts (their anchors' or someone else's) within
    seconds to minutes. ``copypasta``: identical text in bursts. ``near_duplicate``: one text
    with a word in six swapped and varied endings per account. ``link_push``: new URLs on the
    campaign's fringe domains pushed within minutes with templated promo text.
    ``hashtag``: the campaign's hashtag set on otherwise different posts within an hour.
    ``reply_brigade``: many hostile replies to one prominent account's post. ``synchronous``:
    members post within seconds of fixed clock times on weekdays. ``cross_platform``: a
    Telegram channel posts a link, sister channels forward it and Twitter members post it
    within minutes. Only 50-90% of members join each burst, and members also post filler
    (own posts and reposts of popular posts) on the operator's clock.

Personas
    A campaign is run from one UTC offset (``operator_utc_offset`` in the labels), in office
    hours or two shifts with few weekend posts. Its accounts were created in one to three
    bursts (a tenth are older, bought accounts), have generated handles (name + 8 digits, or
    name + a few digits), share a few bios, and claim audience locations that do not match
    their clock. People have spread creation dates and natural handles (some with digits).

``stealth`` (the ``hard`` preset) lowers participation, spreads actions out and adds filler.
"""

from lockstep.simulate._engine import HARD_NEGATIVES, TACTICS
from lockstep.simulate._render import ACCOUNT_COLUMNS, POST_COLUMNS
from lockstep.simulate._scenario import (
    FORMATS,
    SCENARIOS,
    Scenario,
    SimulationError,
    Simulator,
    labels_path,
    simulate,
)

__all__ = [
    "ACCOUNT_COLUMNS",
    "FORMATS",
    "HARD_NEGATIVES",
    "POST_COLUMNS",
    "SCENARIOS",
    "TACTICS",
    "Scenario",
    "SimulationError",
    "Simulator",
    "labels_path",
    "simulate",
]
