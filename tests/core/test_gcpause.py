import gc

import pytest

from zhaoshang.core.gcpause import gc_paused


def test_collector_is_off_inside_and_back_on_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("the work failed")
    assert gc.isenabled()


def test_nested_pauses_keep_it_off_until_the_outermost_ends():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
