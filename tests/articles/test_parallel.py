"""The worker processes the engines share (articles.parallel): when they are worth starting,
when they may be forked, and how items are handed to them."""

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

from articles.parallel import (
    TASKS_AHEAD,
    can_fork,
    choose_start_method,
    worker_count,
    worker_pool,
)


def test_a_few_items_or_one_worker_stay_in_this_process():
    """Workers are used only when more than one is asked for and there are enough items."""
    assert worker_count(2, items=3, least=4) == 1
    assert worker_count(1, items=100, least=4) == 1
    assert worker_count(0, items=100, least=4) == 1
    assert worker_count(2, items=4, least=4) == 2
    assert worker_count(3, items=100, least=4) == 3


def test_another_thread_keeps_this_process_from_forking():
    """While an ordinary thread runs, nothing forks: work that must inherit this process's
    memory stays here, and other work goes to a fork server."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert worker_count(2, items=100, least=1, inherit=True) == 1
        assert worker_count(2, items=100, least=1) == 2
        assert choose_start_method() != "fork"
    finally:
        stop.set()
        thread.join()


def _can_fork_after_a_progress_bar() -> tuple[int, bool, int]:
    """In a fresh process: the threads alive after a progress bar, whether it can fork, and
    the threads alive then."""
    import io

    from tqdm import tqdm

    with tqdm(total=3, file=io.StringIO()) as bar:
        bar.update(3)
    before = threading.active_count()
    forks = can_fork()
    return before, forks, threading.active_count()


def test_a_progress_bar_s_monitor_thread_does_not_keep_this_process_from_forking():
    """tqdm's monitor thread, which outlives its progress bar, is stopped rather than
    keeping every later pool from forking."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        before, forks, after = pool.submit(_can_fork_after_a_progress_bar).result()
    assert before == 2
    assert forks
    assert after == 1


def test_map_gives_each_result_in_order_reading_the_items_only_a_little_ahead():
    """Results come in the items' order, and the items are read only as far ahead of the
    results taken as the tasks each worker may have waiting."""
    read: list[int] = []

    def items():
        for number in range(-40, 0):
            read.append(number)
            yield number

    with worker_pool(2, start_method="spawn") as pool:
        results = pool.map(abs, items())
        first = next(results)
        read_for_first = len(read)
        rest = list(results)
    assert [first, *rest] == list(range(40, 0, -1))
    assert read_for_first == 2 * TASKS_AHEAD
