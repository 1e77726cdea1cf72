"""Worker processes for the pure engines, started and fed the same way everywhere.

`worker_count` says whether a piece of work is worth worker processes, `worker_pool` starts
them (forked when that is safe, else by a fork server) and `WorkerPool.map` hands them the
items in order, reading the items only a few tasks ahead of the results taken. It imports
nothing from Django: the engines use it, and workers that a fork server starts or that are
spawned import it with no settings.

Fork is the quickest start and the only one whose workers inherit what this process holds,
but it copies every lock and none of the threads that would release them: it is used only
when no other thread runs (Python itself warns when a process with threads forks).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Literal

StartMethod = Literal["fork", "forkserver", "spawn"]

# Worker processes a run uses unless told otherwise (the target machine has 2 cores).
DEFAULT_WORKERS = min(2, os.cpu_count() or 1)
# Tasks sent to each worker and not yet collected: enough to keep it busy, few enough that
# the items read ahead and the results waiting hold little memory.
TASKS_AHEAD = 4


def can_fork() -> bool:
    """Whether worker processes can be forked now: the platform forks and no other thread
    runs once tqdm's idle monitor is stopped (see `_stop_progress_monitors`)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    _stop_progress_monitors()
    return threading.active_count() == 1


def _stop_progress_monitors() -> None:
    """Stop tqdm's monitor threads. The first progress bar of a process starts one (a
    disabled bar too) and it stays for the life of the process, waking every few seconds to
    redraw bars that stalled; it is safe to stop (the next bar starts it again), and left
    running it would keep every later pool from forking."""
    monitor = sys.modules.get("tqdm._monitor")  # never imported here: no tqdm, no monitor
    if monitor is None:
        return
    current = threading.current_thread()
    for thread in threading.enumerate():
        if isinstance(thread, monitor.TMonitor) and thread is not current:
            thread.exit()


def choose_start_method() -> StartMethod:
    """Fork when it is safe; otherwise a fork server, which never copies other threads' state
    but imports the main module again in the workers, as every start method but fork does:
    a script that starts workers must guard its body with `if __name__ == "__main__"`."""
    if can_fork():
        return "fork"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def worker_count(requested: int, *, items: int, least: int, inherit: bool = False) -> int:
    """The worker processes to use for `items` items: `requested`, or 1 (the work stays in
    this process) when no more was asked for, when there are fewer than `least` items
    (starting workers would cost more than they save), or when the workers must inherit
    this process's memory (`inherit`: only forked workers do) and it cannot fork now."""
    if requested <= 1 or items < least:
        return 1
    if inherit and not can_fork():
        return 1
    return requested


@dataclass(frozen=True, slots=True)
class WorkerPool:
    """Started worker processes (see `worker_pool`)."""

    pool: Pool
    workers: int

    def map[Item, Result](
        self, fn: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[Result]:
        """fn(item) for each item, in order, computed by the workers. An item is read only
        when fewer than `TASKS_AHEAD` tasks per worker wait to be collected, so a lazy
        `items` and the finished results hold that much memory at most."""
        ahead = self.workers * TASKS_AHEAD
        pending: deque[AsyncResult[Result]] = deque()
        for item in items:
            pending.append(self.pool.apply_async(fn, (item,)))
            if len(pending) >= ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


@contextmanager
def worker_pool(
    workers: int,
    *,
    start_method: StartMethod | None = None,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[WorkerPool]:
    """`workers` processes started by `start_method` (by default `choose_start_method()`),
    each running `initializer(*initargs)` first; they are stopped on leaving."""
    context = multiprocessing.get_context(start_method or choose_start_method())
    with context.Pool(workers, initializer=initializer, initargs=initargs) as pool:
        yield WorkerPool(pool, workers)
