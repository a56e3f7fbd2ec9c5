"""Alias linking: which accounts or bylines are written by the same hand.

Stylometric scorers (character n-grams, topic-masked n-grams, word n-grams, function-word Delta,
compression),
cohort-normalised against impostor names and calibrated to probabilities on pairs of disjoint
authors; each pair comes with its evidence and a topic-only similarity, and names are clustered
into operators. See docs/aliases.md.
"""

from __future__ import annotations

from lockstep.aliases._calibration import Calibration, load_calibration
from lockstep.aliases._clustering import bcubed_f, cluster_names
from lockstep.aliases._features import (
    FUNCTION_WORDS,
    HABITS,
    HellingerVectorizer,
    build_features,
    clean_text,
    mask_topic,
    mask_words,
)
from lockstep.aliases._io import NamedTexts, texts_from_documents, texts_from_workspace
from lockstep.aliases._linker import INSUFFICIENT, AliasLinker, NotFittedError, explain_pair, link_aliases
from lockstep.aliases._scorers import SCORERS
from lockstep.aliases._topic import TOPIC_MODELS, TopicModelUnavailable

__all__ = [
    "FUNCTION_WORDS",
    "HABITS",
    "INSUFFICIENT",
    "SCORERS",
    "TOPIC_MODELS",
    "AliasLinker",
    "Calibration",
    "HellingerVectorizer",
    "NamedTexts",
    "NotFittedError",
    "TopicModelUnavailable",
    "bcubed_f",
    "build_features",
    "clean_text",
    "cluster_names",
    "explain_pair",
    "link_aliases",
    "load_calibration",
    "mask_topic",
    "mask_words",
    "texts_from_documents",
    "texts_from_workspace",
]
