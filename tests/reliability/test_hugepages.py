"""Huge pages (numpy's advice, the process's transparent huge pages) are off inside lockstep's
heavy steps, and the caller's settings are restored after."""

from __future__ import annotations

import pytest

from lockstep._hugepages import _switch, _thp_disabled, no_hugepages


def _settings():
    """``(name, set, off)`` of each switch this machine has: ``set(v)`` sets it and returns the
    setting it replaced; ``off`` is the value with no huge pages."""
    switch = _switch()
    found = [("numpy advice", switch, False)] if switch is not None else []
    previous = _thp_disabled(True)
    if previous is not None:
        _thp_disabled(previous)
        found.append(("process THP", _thp_disabled, True))
    return found


SETTINGS = _settings()


@pytest.mark.parametrize("setting", SETTINGS, ids=[name for name, _, _ in SETTINGS])
@pytest.mark.parametrize("before", [True, False])
def test_huge_pages_are_off_inside_the_block_and_the_callers_setting_restored_after(setting, before):
    _, set_, off = setting
    original = set_(before)
    try:
        with no_hugepages():
            assert set_(off) is off  # returns the setting in force: no huge pages
        assert set_(before) is before
    finally:
        set_(original)


@pytest.mark.parametrize("setting", SETTINGS, ids=[name for name, _, _ in SETTINGS])
def test_the_setting_is_restored_when_the_block_raises(setting):
    _, set_, off = setting
    on = not off
    original = set_(on)
    try:
        with pytest.raises(ValueError), no_hugepages():
            raise ValueError("boom")
        assert set_(on) is on
    finally:
        set_(original)
