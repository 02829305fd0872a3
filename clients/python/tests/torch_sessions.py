"""Shared by the PyTorch tests: a Preconditioner whose daemon session is discarded afterwards (the shared test
daemon keeps every session it is not told to discard for --session-idle-ms)."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from fisherd_client.torch import Preconditioner


@contextlib.contextmanager
def preconditioner(*args: Any, **options: Any) -> Iterator[Preconditioner]:
    pre = Preconditioner(*args, **options)
    try:
        yield pre
    finally:
        pre.close(discard=True)
