"""Torch helpers shared by the modules that use it; torch is imported only when they run."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the caller's setting.

    The tensors here are small (a few thousand entries at most), where torch's intra-op
    threads cost more than they save: on a busy machine a 64 x 150 product ran 10x slower on
    two threads than on one. Timings should also count work, not scheduling.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
