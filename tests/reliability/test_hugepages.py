"""Huge pages (numpy's advice, the process's transparent huge pages) are off inside lockstep's
heavy steps, and the caller's settings are restored after."""

from __future__ import annotations

import pytest

from lockstep._hugepages import _switch, _thp_disabled, no_hugepages


@pytest.mark.parametrize("before", [True, False])
def test_numpy_advice_is_off_inside_the_block_and_the_callers_setting_restored_after(before):
    switch = _switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    original = switch(before)
    try:
        with no_hugepages():
            assert switch(False) is False  # returns the setting in force: off
        assert switch(before) is before
    finally:
        switch(original)


@pytest.mark.parametrize("before", [True, False])
def test_the_process_asks_for_no_huge_pages_inside_the_block_and_its_setting_is_restored_after(before):
    original = _thp_disabled(before)
    if original is None:
        pytest.skip("no prctl(PR_SET_THP_DISABLE) here")
    try:
        with no_hugepages():
            assert _thp_disabled(True) is True  # returns the setting in force: disabled
        assert _thp_disabled(before) is before
    finally:
        _thp_disabled(original)


def test_the_settings_are_restored_when_the_block_raises():
    switch = _switch()
    original_advice = switch(True) if switch is not None else None
    original_thp = _thp_disabled(False)
    try:
        with pytest.raises(ValueError), no_hugepages():
            raise ValueError("boom")
        if switch is not None:
            assert switch(True) is True
        if original_thp is not None:
            assert _thp_disabled(False) is False
    finally:
        if switch is not None and original_advice is not None:
            switch(original_advice)
        if original_thp is not None:
            _thp_disabled(original_thp)
