"""numpy's huge-page advice is off inside lockstep's detectors and restored after."""

from __future__ import annotations

import pytest

from lockstep._hugepages import _switch, no_hugepage_advice


@pytest.mark.parametrize("before", [True, False])
def test_the_advice_is_off_inside_the_block_and_the_callers_setting_restored_after(before):
    switch = _switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    original = switch(before)
    try:
        with no_hugepage_advice():
            assert switch(False) is False  # returns the setting in force: off
        assert switch(before) is before
    finally:
        switch(original)


def test_the_setting_is_restored_when_the_block_raises():
    switch = _switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    original = switch(True)
    try:
        with pytest.raises(ValueError), no_hugepage_advice():
            raise ValueError("boom")
        assert switch(True) is True
    finally:
        switch(original)
