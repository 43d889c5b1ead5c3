"""Rendering off the event loop: the one seam through which handlers draw charts and make
documents, so the bot keeps answering other chats while one CoP's document is made.

Why a process pool and not a thread: matplotlib's Agg drawing, python-docx/lxml, Jinja and
base64 hold the GIL for long stretches, so a render in a thread still stalls the loop
(measured at 16x the benchmark CoP: 235-385 ms stalls in a thread; see bench/README.md).
A separate process shares no GIL. The pool uses ``forkserver``: a clean server process
(no threads, no event loop, no database connections copied) that has imported the
renderers once; each job forks a fresh worker from it (``max_tasks_per_child=1``), so the
memory a big document takes goes back to the operating system when the job ends instead of
staying in the bot's allocator.

A job is a module-level function with picklable arguments and result (plain values: the
service's dataclasses, the render model, bytes). ``use_threads()`` switches to one worker
thread (tests that patch a renderer in this process; platforms without fork).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: Modules the fork server imports once, so a job's fresh worker starts warm (`preload`).
PRELOAD = [
    "matplotlib.backends.backend_agg",  # bot.render.charts imports these lazily (cold start)
    "matplotlib.figure",
    "matplotlib.patches",
    "matplotlib.ticker",
    "PIL.Image",
    "bot.render.charts",
    "bot.render.documents.docx",
    "bot.render.documents.html",
    "bot.render.documents.markdown",
]
#: One render at a time: on a small machine a second would only take the loop's core.
WORKERS = 1


class _Pool:
    def __init__(self) -> None:
        self.threads = False
        self.executor: Executor | None = None
        self._lock = threading.Lock()

    def get(self) -> Executor:
        """The pool, started and with its first worker up (blocking: call it off the loop;
        starting the fork server means importing the renderers, a second or two)."""
        with self._lock:
            if self.executor is None:
                executor = self._make()
                executor.submit(int).result()
                self.executor = executor
            return self.executor

    def _make(self) -> Executor:
        if self.threads or "forkserver" not in multiprocessing.get_all_start_methods():
            return ThreadPoolExecutor(WORKERS, thread_name_prefix="render")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return ProcessPoolExecutor(WORKERS, mp_context=context, max_tasks_per_child=1)

    def close(self) -> None:
        with self._lock:
            executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def drop(self, broken: Executor) -> None:
        """Forgets a pool whose worker died (killed, out of memory): the next job starts anew."""
        with self._lock:
            if self.executor is broken:
                self.executor = None
        broken.shutdown(wait=False, cancel_futures=True)


_pool = _Pool()


async def off_loop(job: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Runs ``job(*args, **kwargs)`` in the render pool; the loop serves others meanwhile."""
    loop = asyncio.get_running_loop()
    executor = _pool.executor
    if executor is None:  # the first job: start the pool off the loop too
        executor = await asyncio.to_thread(_pool.get)
    try:
        return await loop.run_in_executor(executor, functools.partial(job, *args, **kwargs))
    except BrokenProcessPool:
        _pool.drop(executor)
        raise


async def warm_up() -> None:
    """Starts the pool (and the fork server) before the first document is asked for."""
    await off_loop(int)


def preload(*modules: str) -> None:
    """Adds modules whose jobs run here; takes effect when the pool (next) starts."""
    PRELOAD.extend(m for m in modules if m not in PRELOAD)


def use_threads(threads: bool = True) -> None:
    """Renders in a worker thread of this process instead (or again in processes)."""
    if _pool.threads != threads:
        _pool.close()
        _pool.threads = threads


def shutdown() -> None:
    """Stops the pool's workers (the runner, at exit); the next job starts a new pool."""
    _pool.close()
