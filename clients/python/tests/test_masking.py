"""The numpy WebSocket mask (``transport.numpy_apply_mask``) against websockets' own ``apply_mask`` (no
daemon), and its installation into websockets' frame code where websockets has no C speedups."""
from __future__ import annotations

import os

import pytest
from websockets import frames, utils

from fisherd_client import transport

# Odd lengths, lengths around the 8-byte words and the 4-byte mask period, and a large frame.
LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 63, 1023, 4097, 65537, 1_000_003]


@pytest.mark.parametrize('length', LENGTHS)
def test_numpy_mask_equals_websockets_apply_mask(length: int) -> None:
    for _ in range(3):
        data, mask = os.urandom(length), os.urandom(4)
        got = transport.numpy_apply_mask(data, mask)
        assert isinstance(got, bytes)
        assert got == utils.apply_mask(data, mask)
        assert transport.numpy_apply_mask(got, mask) == data  # masking twice is the identity


def test_numpy_mask_takes_any_buffer_and_refuses_a_wrong_mask() -> None:
    data, mask = os.urandom(37), os.urandom(4)
    assert transport.numpy_apply_mask(bytearray(data), mask) == utils.apply_mask(data, mask)
    assert transport.numpy_apply_mask(memoryview(data), bytearray(mask)) == utils.apply_mask(data, mask)
    with pytest.raises(ValueError):
        transport.numpy_apply_mask(data, b'abc')


def test_installed_only_where_websockets_masks_in_python_and_frames_round_trip() -> None:
    try:
        from websockets import speedups  # type: ignore[attr-defined]  # noqa: F401
        has_speedups = True
    except ImportError:
        has_speedups = False
    installed = transport.install_numpy_mask()
    assert installed == (not has_speedups)
    assert transport.install_numpy_mask() == installed  # idempotent
    assert (frames.apply_mask is transport.numpy_apply_mask) == installed
    # A masked frame as the client sends it, read back as the daemon would read it.
    payload = os.urandom(100_001)
    wire = frames.Frame(frames.Opcode.BINARY, payload).serialize(mask=True)
    reader = frames.Frame.parse(_read_exact(wire), mask=True, max_size=None, extensions=None)
    try:
        next(reader)
    except StopIteration as done:
        assert done.value.data == payload
    else:
        raise AssertionError('Frame.parse did not finish on a whole frame')


def _read_exact(buffer: bytes):  # type: ignore[no-untyped-def]
    """A ``read_exact`` generator function over ``buffer`` for websockets' Sans-I/O ``Frame.parse``."""
    at = [0]

    def read_exact(n: int):  # type: ignore[no-untyped-def]
        chunk = buffer[at[0]:at[0] + n]
        at[0] += n
        return chunk
        yield  # pragma: no cover  (a generator that never waits)

    return read_exact
