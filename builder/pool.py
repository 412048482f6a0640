"""Runs build tasks, `(function, *args)` tuples, in a pool of fresh processes (reportlab's
font registry and matplotlib's state are process-global), or here when one is enough.
Ctrl-C and SIGTERM stop the workers, which remove their temporary files on the way out."""
from __future__ import annotations

import os
import signal
import sys
import threading

from builder.errors import ReportError

WORKER_LOST = "a build process ended abruptly (killed, or out of memory?); earlier outputs are unchanged"

_busy = False   # in a worker: a task is running
_stopped = False   # in a worker: stopped by a signal


def call(task: tuple):
    global _busy
    function, *args = task
    _busy = True
    try:
        return function(*args)
    except KeyboardInterrupt:
        if _stopped:   # unwound, its temporary file removed: end here, or the executor's
            os._exit(1)   # loop would catch it and wait for more work until killed
        raise
    finally:
        _busy = False


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """`kill` (SIGTERM) unwinds like Ctrl-C, so temporary files are removed on the way out."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    sys.unraisablehook = _interrupt_again


def _interrupt_again(unraisable) -> None:
    """sys.unraisablehook: a Ctrl-C or stop that arrived while Python ran a weakref callback
    or a __del__ (an import's module lock has one) cannot unwind from there: Python would
    print a traceback and go on. It is sent again, a moment later from another thread, so
    that it is raised once this hook has returned, where the build is."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        again = threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGINT))
        again.daemon = True
        again.start()
        return
    sys.__unraisablehook__(unraisable)


def _stop_worker(signum, frame):
    """A worker stopped (by the build, or Ctrl-C reaching the whole process group) unwinds
    its task, removing its temporary file; an idle one just ends, printing nothing."""
    global _stopped
    if _busy:
        _stopped = True
        raise KeyboardInterrupt
    os._exit(1)


def _start_worker() -> None:
    signal.signal(signal.SIGTERM, _stop_worker)
    signal.signal(signal.SIGINT, _stop_worker)
    sys.unraisablehook = _interrupt_again


class Pool:
    """Tasks given with `start` run at once; `run` waits for them and runs more.
    `preload`: modules the workers will need, imported once in the fork server that the
    workers are forked from rather than in each worker."""

    def __init__(self, jobs: int, preload: tuple[str, ...] = ()):
        self.jobs, self.preload, self.executor, self.started = jobs, preload, None, []
        self.starting: threading.Thread | None = None   # submitting what `start` was given
        self.failed: BaseException | None = None        # ... and how that failed

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if self.starting is not None:
            self.starting.join()
        if self.executor is None:
            return
        if kind is None:
            self.executor.shutdown()
        else:   # interrupted or failed: stop the workers now, and let them clean up
            processes = list(getattr(self.executor, "_processes", {}).values())
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
                if process.is_alive():   # stuck: the build removes what it leaves behind
                    process.kill()
                    process.join()
            try:
                self.executor.shutdown(wait=True)   # not cancel_futures: the executor would then fail on its own cancelled futures
            except OSError:   # the pool's pipes break as its workers stop; the first error counts
                pass

    def _executor(self):
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            # Forked from a fork server, a fresh interpreter: nothing inherited from this
            # process's state, and each worker ends without tearing its interpreter down
            # (which the pool's shutdown would wait for). The fork server is the
            # process's own, started by its first pool; later pools share it and what it
            # preloaded.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(self.preload))
            _start_fork_server()
            self.executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker)
        return self.executor

    def prepare(self) -> None:
        """Start the workers' fork server importing what they preload, ahead of any task
        (with more than one job)."""
        if self.jobs > 1:
            self._executor()

    def start(self, tasks: list[tuple]) -> None:
        """Begin `tasks` in the background (in the pool only if there is more than one job)."""
        self._started()
        if self.jobs > 1 and tasks:
            # Submitted from a thread: the first submit waits until the fork server has
            # imported what it preloads, while this process can go on reading.
            executor = self._executor()
            self.starting = threading.Thread(target=self._submit_all, args=(executor, tasks), daemon=True)
            self.starting.start()
        else:
            self.started += [_Done(call(task)) for task in tasks]

    def _submit_all(self, executor, tasks: list[tuple]) -> None:
        try:
            self.started += [executor.submit(call, task) for task in tasks]
        except BaseException as exc:   # raised where the tasks' results are waited for
            self.failed = exc

    def _started(self) -> None:
        """Wait until what `start` was given is submitted."""
        if self.starting is not None:
            self.starting.join()
            self.starting = None
        if self.failed is not None:
            failed, self.failed = self.failed, None
            _lost(failed)

    def submit(self, task: tuple):
        """Begin one task (in the pool if there is more than one job, else here, at once);
        its future for `wait_any` and `result`."""
        self._started()
        if self.jobs <= 1:
            return _Done(call(task))
        try:
            return self._executor().submit(call, task)
        except BaseException as exc:
            _lost(exc)

    @staticmethod
    def wait_any(futures) -> list:
        """Those of `futures` (of submit) that are done, once any is."""
        from concurrent.futures import FIRST_COMPLETED, wait
        done = [future for future in futures if isinstance(future, _Done)]
        return done or list(wait(futures, return_when=FIRST_COMPLETED).done)

    def runs_here(self, tasks: list[tuple]) -> bool:
        """Whether `run` runs `tasks` in this process."""
        return self.jobs <= 1 or len(tasks) <= 1   # (one task: here, not in a worker that
                                                   # would import what this process has)

    def run(self, tasks: list[tuple]) -> list:
        """Results of `tasks` in order, once every task started before is done."""
        self._started()
        for future in self.started:
            result(future)
        self.started = []
        if self.runs_here(tasks):
            return [call(task) for task in tasks]
        # Not Executor.map: interrupted, it cancels its futures, on which the executor's
        # own thread then fails (a traceback) as the stopped workers break the pool.
        futures = [self.submit(task) for task in tasks]
        return [result(future) for future in futures]


def _start_fork_server() -> None:
    """Start the fork server, if not running yet, ignoring SIGINT: Ctrl-C reaching a
    worker while it starts would print a traceback from its start-up code. The workers
    are forked from the server with its handlers (an ignored signal stays ignored through
    exec, and Python leaves it so), and take SIGINT from _start_worker on. Meanwhile
    SIGINT is blocked here, so that one arriving is kept (a blocked signal is never
    discarded), and raised once it is unblocked."""
    from multiprocessing import forkserver

    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        if main:
            signal.signal(signal.SIGINT, before)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def stop_fork_server() -> None:
    """End the fork server, if this process started one, before this process ends: left to
    see it end, the server would tear down what it preloaded (a tenth of a second) while
    holding this process's stderr, which a script reading the output waits on to close."""
    # (multiprocessing keeps the server's pid under a private name: without it, as before)
    forkserver = sys.modules.get("multiprocessing.forkserver")
    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)   # (it leaves SIGTERM to its default: ending at once)
            os.waitpid(pid, 0)
        except OSError:   # already gone
            pass


def _lost(exc: BaseException):
    from concurrent.futures.process import BrokenProcessPool
    if isinstance(exc, BrokenProcessPool):
        raise ReportError(WORKER_LOST) from None
    raise exc


def result(future):
    """The value of a future of Pool.submit (a worker lost: a ReportError)."""
    if isinstance(future, _Done):   # run here: no pool (and no import of one) needed
        return future.value
    from concurrent.futures.process import BrokenProcessPool
    try:
        return future.result()
    except BrokenProcessPool:
        raise ReportError(WORKER_LOST) from None


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value
