"""The per-document time limit: interrupts in the main thread and in worker threads, never leaks."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable

import pytest

from pipeline.batch.deadline import TimeLimitExceeded, time_limit


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def in_thread(target: Callable[[], object]) -> list:
    """Run `target` in a new thread; return what it raised or returned."""
    outcome: list = []

    def body() -> None:
        try:
            outcome.append(target())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    return outcome


def slow_body() -> str:
    with time_limit(0.2):
        spin(5)
    return "finished"


def test_deadline_interrupts_a_slow_body_in_the_main_thread() -> None:
    started = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        slow_body()
    assert time.perf_counter() - started < 2


def test_deadline_interrupts_a_slow_body_in_another_thread() -> None:
    started = time.perf_counter()
    [outcome] = in_thread(slow_body)
    assert isinstance(outcome, TimeLimitExceeded)
    assert time.perf_counter() - started < 2


def test_deadline_is_not_caught_by_except_exception() -> None:
    def swallowing() -> str:
        with time_limit(0.1):
            try:
                spin(5)
            except Exception:  # what a careless stage might do
                return "swallowed"
        return "finished"

    with pytest.raises(TimeLimitExceeded):
        swallowing()


def near_misses() -> int:
    """Bodies that end right around their limit; an alarm must never escape the with block."""
    interrupted = 0
    for attempt in range(150):
        try:
            with time_limit(0.002):
                spin(0.0015 + attempt % 10 * 0.0001)
        except TimeLimitExceeded:
            interrupted += 1
        spin(0.003)  # a late alarm would be raised here, outside the try
    return interrupted


def test_deadline_late_alarm_never_leaks_in_the_main_thread() -> None:
    assert 0 <= near_misses() <= 150


def test_deadline_late_alarm_never_leaks_in_another_thread() -> None:
    [outcome] = in_thread(near_misses)
    assert isinstance(outcome, int)


def test_deadline_fast_body_and_no_limit_run_untouched() -> None:
    with time_limit(5):
        value = sum(range(10))
    with time_limit(None):
        spin(0.01)
    assert value == 45
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_deadline_restores_the_previous_alarm_handler() -> None:
    def mine(signum: int, frame: object) -> None:
        return None

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with pytest.raises(TimeLimitExceeded):
            slow_body()
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)
