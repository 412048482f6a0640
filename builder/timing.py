"""Where a build's time goes, for the benchmark: with REPORT_TIMINGS=FILE in the
environment, each timed step, in whichever process runs it, appends "step<TAB>seconds"
to FILE. Without it, timing costs nothing."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager

VARIABLE = "REPORT_TIMINGS"


@contextmanager
def timed(step: str):
    path = os.environ.get(VARIABLE)
    if not path:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        with open(path, "a", encoding="utf-8") as file:   # appends of one line do not interleave
            file.write(f"{step}\t{time.perf_counter() - start:.4f}\n")
