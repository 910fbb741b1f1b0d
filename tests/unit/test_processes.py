"""The process pool's workers: the processes are the parallelism, so each worker's BLAS runs on
one thread whatever the parent's (the fast engine's pair step ran at half speed on 2 processes
when every worker started a BLAS thread per core); the parent keeps its own setting."""

import numpy as np  # loads numpy's OpenBLAS in this process, inherited by the forked workers
from threadpoolctl import threadpool_info, threadpool_limits

from exactmin.processes import one_blas_thread, process_pool


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_workers_run_blas_on_one_thread_and_the_parent_keeps_its_own() -> None:
    assert np.ones(2) @ np.ones(2) == 2  # a BLAS call (the library is loaded and used)
    with threadpool_limits(limits=2, user_api="blas"):  # the parent as on a 2-core machine
        before = _blas_threads()
        assert before and all(n == 2 for n in before)
        with process_pool(2) as pool:
            seen = [pool.submit(_blas_threads).result() for _ in range(4)]
        assert all(threads and all(n == 1 for n in threads) for threads in seen), seen
        assert _blas_threads() == before


def test_one_blas_thread_is_undone_by_its_block() -> None:
    with threadpool_limits(limits=2, user_api="blas"):
        with one_blas_thread():
            assert all(n == 1 for n in _blas_threads())
        assert all(n == 2 for n in _blas_threads())
