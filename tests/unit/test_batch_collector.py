"""evaluate_frames collects the youngest objects less often while it runs, then restores."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cperules import batch

pd: Any = pytest.importorskip("pandas")


@pytest.fixture(autouse=True)
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def frames() -> tuple[Any, Any]:
    holdings = pd.DataFrame(
        {"holder": ["p1", "p2"], "certification": "pmi/pmp", "earned": dt.date(2023, 5, 2)}
    )
    activities = pd.DataFrame(
        {
            "holder": ["p1", "p2"],
            "id": ["a", "b"],
            "title": "Course",
            "completed": "2024-03-01",
            "credits": 7.5,
            "category": "ways-of-working",
        }
    )
    return holdings, activities


def test_the_threshold_is_raised_during_a_frame_and_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.set_threshold(700, 10, 10)
    seen: list[tuple[int, int, int]] = []
    judged = batch._judged

    def spying(*args: Any) -> Any:
        seen.append(gc.get_threshold())
        return judged(*args)

    monkeypatch.setattr(batch, "_judged", spying)
    frame = batch.evaluate_frames(*frames(), as_of=dt.date(2025, 1, 1))
    assert list(frame["counted"]) == ["7.5", "7.5"]
    assert seen == [(batch._YOUNG_THRESHOLD, 10, 10)] * 2
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_is_left_as_it_is() -> None:
    gc.set_threshold(batch._YOUNG_THRESHOLD * 2, 5, 7)
    with batch._young_collections_spaced():
        assert gc.get_threshold() == (batch._YOUNG_THRESHOLD * 2, 5, 7)
    assert gc.get_threshold() == (batch._YOUNG_THRESHOLD * 2, 5, 7)


def test_thresholds_are_restored_when_a_frame_fails() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), batch._young_collections_spaced():
        raise RuntimeError
    assert gc.get_threshold() == (700, 10, 10)


def test_a_setting_changed_during_the_block_is_not_undone() -> None:
    gc.set_threshold(700, 10, 10)
    with batch._young_collections_spaced():
        gc.set_threshold(5000, 3, 3)
    assert gc.get_threshold() == (5000, 3, 3)


def test_overlapping_frames_restore_once_the_last_is_done() -> None:
    gc.set_threshold(700, 10, 10)
    inside = threading.Barrier(2)
    first_out = threading.Event()
    during: list[tuple[int, int, int]] = []

    def first() -> None:
        with batch._young_collections_spaced():
            inside.wait()
        first_out.set()

    def second() -> None:
        with batch._young_collections_spaced():
            inside.wait()
            first_out.wait()
            during.append(gc.get_threshold())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert during == [(batch._YOUNG_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)
