"""The one registry of co-action signals: name → Detector class."""

from __future__ import annotations

from lockstep.detect._base import Detector, DetectorError
from lockstep.detect._cohashtag import CoHashtag
from lockstep.detect._colink import CoLink
from lockstep.detect._comedia import CoMedia
from lockstep.detect._comention import CoMention
from lockstep.detect._coreply import CoReply
from lockstep.detect._corepost import CoRepost
from lockstep.detect._identical_text import IdenticalText
from lockstep.detect._near_text import NearText
from lockstep.detect._rare import RareShare
from lockstep.detect._scheduled import Scheduled
from lockstep.detect._synchronous import Synchronous

__all__ = ["DETECTORS", "get_detector", "register_detector"]

#: Signal name → detector class, in the order signals run and are reported.
DETECTORS: dict[str, type[Detector]] = {}


def register_detector(cls: type[Detector]) -> type[Detector]:
    """Add a detector class under its ``signal`` name (usable as a decorator by plugins)."""
    if not cls.signal:
        raise DetectorError(f"{cls.__name__} has no signal name")
    DETECTORS[cls.signal] = cls
    return cls


for _cls in (CoRepost, CoLink, CoReply, CoHashtag, CoMention, IdenticalText, NearText, Synchronous, Scheduled,
             CoMedia, RareShare):
    register_detector(_cls)


def get_detector(signal: str, **params: object) -> Detector:
    """A detector for ``signal`` built with ``params``."""
    if signal not in DETECTORS:
        raise DetectorError(f"unknown signal {signal!r}; available: {', '.join(DETECTORS)}")
    return DETECTORS[signal](**params)
