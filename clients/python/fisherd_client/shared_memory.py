"""Shared-memory payloads for a client on the daemon's machine (proto ``SharedMemoryOffer``).

The client creates two files in the daemon's shared-memory directory (``Welcome.shared_memory_dir``, a
tmpfs such as /dev/shm; ``O_CREAT | O_EXCL``, mode 0600, random names ``fisherd-…``) and writes the
offer's nonce at offset 0 of each; once the daemon accepted (or refused) the offer the names are
unlinked: the open descriptors keep the files alive, and a killed process leaves nothing behind (names
still there at interpreter exit are removed too). Requests are written after the nonce, replies read
where the daemon says, both through ``mmap`` — measured for 4–9 MB payloads on a tmpfs, a copy into a
mapping kept for the connection takes about a third of ``os.pwrite``'s time and a read a quarter of
``os.pread``'s (bench numbers in clients/python/README.md). A step's float vectors are copied into the
mapping straight from their arrays (``write_parts``, with ``wire.parts``), not serialized first. A reply
is decoded from the mapping (``reply_view``) into objects of its own (protobuf copies what it parses; an
update's Δθ is copied once into a numpy array), so nothing decoded refers to memory the daemon writes
again.
"""
from __future__ import annotations

import atexit
import mmap
import os
import secrets
import threading
from contextlib import contextmanager
from typing import Iterator, Optional, Sequence, Set, Tuple, Union

import numpy as np

#: Where requests go in the request file: after the nonce, on a page boundary.
REQUEST_OFFSET = 4096
NONCE_BYTES = 32

_named: Set[str] = set()
_named_lock = threading.Lock()


def _unlink_quietly(path: str) -> None:
    with _named_lock:
        _named.discard(path)
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone


@atexit.register
def _unlink_all() -> None:
    with _named_lock:
        paths = list(_named)
    for path in paths:
        _unlink_quietly(path)


def _create(directory: str, nonce: bytes) -> Tuple[int, str, str]:
    name = 'fisherd-' + secrets.token_urlsafe(18)  # 24 of [A-Za-z0-9_-]
    path = os.path.join(directory, name)
    flags = os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
    fd = os.open(path, flags, 0o600)
    with _named_lock:
        _named.add(path)
    try:
        os.pwrite(fd, nonce, 0)
    except BaseException:
        os.close(fd)
        _unlink_quietly(path)
        raise
    return fd, name, path


class SharedMemoryFiles:
    """One connection's request and reply files. ``offer`` holds the SharedMemoryOffer's fields."""

    def __init__(self, directory: str) -> None:
        self.nonce = secrets.token_bytes(NONCE_BYTES)
        self._request_fd, self.request_file, self._request_path = _create(directory, self.nonce)
        try:
            self._reply_fd, self.reply_file, self._reply_path = _create(directory, self.nonce)
        except BaseException:
            os.close(self._request_fd)
            _unlink_quietly(self._request_path)
            raise
        self._request_map: Optional[mmap.mmap] = None
        self._reply_map: Optional[mmap.mmap] = None
        self._closed = False

    def unlink(self) -> None:
        """Removes the names (the daemon holds the files open, or refused them)."""
        _unlink_quietly(self._request_path)
        _unlink_quietly(self._reply_path)

    def write(self, data: bytes) -> Tuple[int, int]:
        """Writes one encoded ClientMessage into the request file; its ``(offset, length)``."""
        mapping = self._request_room(len(data))
        mapping[REQUEST_OFFSET:REQUEST_OFFSET + len(data)] = data
        return REQUEST_OFFSET, len(data)

    def write_parts(self, parts: Sequence[Union[bytes, np.ndarray]], length: int) -> Tuple[int, int]:
        """Writes one encoded ClientMessage given as parts (``wire.parts``: bytes, and C-contiguous arrays
        whose memory is copied as it is, one copy each) into the request file; its ``(offset, length)``."""
        mapping = self._request_room(length)
        at = REQUEST_OFFSET
        for part in parts:
            n = len(part) if isinstance(part, bytes) else part.nbytes
            if at + n > REQUEST_OFFSET + length:
                raise ValueError(f'the parts hold more than {length} bytes')
            mapping[at:at + n] = part
            at += n
        if at != REQUEST_OFFSET + length:
            raise ValueError(f'the parts hold {at - REQUEST_OFFSET} bytes, not {length}')
        return REQUEST_OFFSET, length

    def request_bytes(self, offset: int, length: int) -> bytes:
        """A copy of what was written at ``[offset, offset + length)`` of the request file (a request to send
        again as a frame once the files are gone)."""
        if self._request_map is None or len(self._request_map) < offset + length:
            raise ValueError(f'the request file holds no [{offset}, {offset + length})')
        return self._request_map[offset:offset + length]

    def _request_room(self, length: int) -> mmap.mmap:
        """The request file's mapping, grown to hold ``length`` bytes after REQUEST_OFFSET."""
        end = REQUEST_OFFSET + length
        if self._request_map is None or len(self._request_map) < end:
            # Room for this message and some growth (step sizes vary little), in whole pages.
            size = -(-(end + end // 8) // mmap.PAGESIZE) * mmap.PAGESIZE
            if self._request_map is not None:
                self._request_map.close()
                self._request_map = None
            os.ftruncate(self._request_fd, size)
            self._request_map = mmap.mmap(self._request_fd, size)
        return self._request_map

    def read(self, offset: int, length: int) -> bytes:
        """A copy of ``[offset, offset + length)`` of the reply file. Raises ``ValueError`` when the file is
        shorter (never touches a page past its end)."""
        return self._reply_mapping(offset, length)[offset:offset + length]

    @contextmanager
    def reply_view(self, offset: int, length: int) -> Iterator[memoryview]:
        """``[offset, offset + length)`` of the reply file as a memoryview, for the ``with`` block only (it is
        released after it: keep nothing that refers to it). Raises ``ValueError`` as ``read`` does."""
        view = memoryview(self._reply_mapping(offset, length))[offset:offset + length]
        try:
            yield view
        finally:
            view.release()

    def _reply_mapping(self, offset: int, length: int) -> mmap.mmap:
        """The reply file's mapping, remapped when the file grew past the old one."""
        end = offset + length
        if self._reply_map is None or len(self._reply_map) < end:
            size = os.fstat(self._reply_fd).st_size
            if size < end:
                raise ValueError(f'the reply file has {size} bytes, the daemon named [{offset}, {end})')
            if self._reply_map is not None:
                self._reply_map.close()
                self._reply_map = None
            self._reply_map = mmap.mmap(self._reply_fd, size, access=mmap.ACCESS_READ)
        return self._reply_map

    def close(self) -> None:
        """Unmaps and closes both files and removes their names if still there (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.unlink()
        for mapping in (self._request_map, self._reply_map):
            if mapping is not None:
                mapping.close()
        self._request_map = self._reply_map = None
        for fd in (self._request_fd, self._reply_fd):
            try:
                os.close(fd)
            except OSError:
                pass
