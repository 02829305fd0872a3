"""Protobuf encoding with the large byte fields written straight from numpy arrays (one copy each).

A step's float vectors (statistics, rows) are most of its bytes. Setting them on a protobuf message
copies each array three times in Python (``tobytes()``, the field assignment, ``SerializeToString()``)
before the bytes are written once more into a frame or the shared-memory request file. Here the message
is built with those fields left empty and the arrays kept aside (``Payloads``); ``parts`` then lays the
message out as protobuf bytes for the small fields (serialized by protobuf) and the arrays themselves,
with the tags and varint lengths of the fields and sub-messages that hold them computed here, and the
caller copies each part once to where the message goes (``SharedMemoryFiles.write_parts``, ``encode``).

Every sub-message is emitted exactly once, with all its fields (a decoder that replaces a repeated
sub-message instead of merging it reads the same message); only the order of fields differs from
``SerializeToString()``'s, which protobuf decoders accept (the field order is not part of the message).
``fill`` sets the fields instead, for the paths that want the message itself.

The other way, ``split_update`` reads an ``Update`` reply from a buffer (the shared-memory reply file)
with Δθ copied once into a numpy array, the rest parsed by protobuf.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import fisherd_pb2 as pb

#: One step of a path to a sub-message: a singular message field's name, or (repeated field, index).
PathStep = Union[str, Tuple[str, int]]
Path = Tuple[PathStep, ...]
#: What ``parts`` returns: bytes, or numpy arrays (C-contiguous) whose memory is copied as it is.
Part = Union[bytes, np.ndarray]

_WIRE_LEN = 2  # protobuf wire type of bytes, strings and sub-messages
_WIRE_VARINT = 0


class Payloads:
    """Large bytes fields of a message kept as arrays until the message is written.

    ``root`` is where the recorded paths start in the message that ``parts``/``fill``/``encode`` get
    (e.g. ``('step',)`` when the fields belong to ``ClientMessage.step``).
    """

    __slots__ = ('root', 'entries')

    def __init__(self, root: Path = ()) -> None:
        self.root = root
        self.entries: List[Tuple[Path, str, np.ndarray]] = []

    def add(self, path: Path, field: str, array: np.ndarray) -> None:
        """Records ``array``'s bytes (as they are in memory: little-endian values) as the bytes field
        ``field`` of the sub-message at ``path`` (relative to ``root``)."""
        self.entries.append((self.root + path, field, array))


def put_bytes(message: Any, field: str, array: np.ndarray, payloads: Optional[Payloads], path: Path) -> None:
    """Sets ``message.field`` to ``array``'s bytes, or with ``payloads`` records them there instead
    (``message`` is the sub-message at ``path``)."""
    if payloads is None:
        setattr(message, field, array.tobytes())
    else:
        payloads.add(path, field, array)


def _sub(message: Any, step: PathStep) -> Any:
    if isinstance(step, tuple):
        return getattr(message, step[0])[step[1]]
    return getattr(message, step)


def fill(message: Any, payloads: Payloads) -> None:
    """Sets every recorded field on ``message`` (what ``put_bytes`` without payloads would have done)."""
    for path, field, array in payloads.entries:
        target = message
        for step in path:
            target = _sub(target, step)
        setattr(target, field, array.tobytes())


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _header(number: int, length: int) -> bytes:
    """The tag of a length-delimited field and the varint length after it."""
    return _varint(number << 3 | _WIRE_LEN) + _varint(length)


def _contiguous(array: np.ndarray) -> np.ndarray:
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


# A node of the tree of recorded fields: field name -> array (a bytes field of this message), or
# PathStep -> node (a sub-message holding some).
_Node = Dict[PathStep, Any]


def _tree(payloads: Payloads) -> _Node:
    root: _Node = {}
    for path, field, array in payloads.entries:
        node = root
        for step in path:
            node = node.setdefault(step, {})
        node[field] = _contiguous(array)
    return root


def _lay_out(message: Any, node: _Node, out: List[Part]) -> int:
    """Appends ``message``'s encoding with the fields of ``node`` to ``out``; returns its length."""
    fields = message.DESCRIPTOR.fields_by_name
    small = type(message)()
    small.CopyFrom(message)  # the message as built: no large field set, so a small copy
    for key in node:
        small.ClearField(key if isinstance(key, str) else key[0])
    head = small.SerializeToString()
    out.append(head)
    total = len(head)
    repeated: List[str] = []
    for key, child in node.items():
        if isinstance(key, tuple):
            if key[0] not in repeated:
                repeated.append(key[0])
            continue
        number = fields[key].number
        if isinstance(child, np.ndarray):
            if child.nbytes == 0:
                continue  # an empty bytes field is the default: not on the wire (as protobuf does)
            header = _header(number, child.nbytes)
            out.append(header)
            out.append(child)
            total += len(header) + child.nbytes
        else:
            total += _nested(number, getattr(message, key), child, out)
    for name in repeated:
        # Every element again, in order: the field was cleared from `small` above.
        number = fields[name].number
        for i, element in enumerate(getattr(message, name)):
            child = node.get((name, i))
            if child is None:
                body = element.SerializeToString()
                header = _header(number, len(body))
                out.append(header)
                out.append(body)
                total += len(header) + len(body)
            else:
                total += _nested(number, element, child, out)
    return total


def _nested(number: int, message: Any, node: _Node, out: List[Part]) -> int:
    at = len(out)
    out.append(b'')  # the header, once the length is known
    length = _lay_out(message, node, out)
    header = _header(number, length)
    out[at] = header
    return len(header) + length


def parts(message: Any, payloads: Payloads) -> Tuple[List[Part], int]:
    """``message`` with the recorded fields as a list of parts to copy one after the other, and their total
    length: a protobuf encoding of the message that ``fill`` would make. The arrays are not copied."""
    out: List[Part] = []
    if not payloads.entries:
        data = message.SerializeToString()
        return [data], len(data)
    length = _lay_out(message, _tree(payloads), out)
    return [p for p in out if len(p)], length


def encode(message: Any, payloads: Optional[Payloads]) -> Union[bytes, memoryview]:
    """The encoded message (a frame): ``SerializeToString()`` without payloads, else ``parts`` copied into
    one new buffer (a memoryview of bytes)."""
    if payloads is None or not payloads.entries:
        return message.SerializeToString()
    pieces, length = parts(message, payloads)
    return join(pieces, length)


def join(pieces: Sequence[Part], length: int) -> memoryview:
    """The parts copied one after another into one new buffer (uninitialized first: no zeroing pass)."""
    out = memoryview(np.empty(length, dtype=np.uint8))
    at = 0
    for piece in pieces:
        n = len(piece) if isinstance(piece, bytes) else piece.nbytes
        if at + n > length:
            raise ValueError(f'the parts hold more than {length} bytes')
        out[at:at + n] = piece if isinstance(piece, bytes) else memoryview(piece).cast('B')
        at += n
    if at != length:
        raise ValueError(f'the parts hold {at} bytes, not {length}')
    return out


# ---- replies ----------------------------------------------------------------------------------------


def _read_varint(data: memoryview, at: int, end: int) -> Tuple[int, int]:
    value = shift = 0
    while True:
        if at >= end or shift > 63:
            raise ValueError('truncated or overlong varint')
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _fields(data: memoryview, start: int, end: int) -> Optional[List[Tuple[int, int, int, int, int]]]:
    """The fields of the message in ``data[start:end]`` as (number, wire type, field start, value start,
    field end); None for anything but varint and length-delimited fields (not in an Update)."""
    out = []
    at = start
    while at < end:
        begin = at
        tag, at = _read_varint(data, at, end)
        number, kind = tag >> 3, tag & 7
        if kind == _WIRE_VARINT:
            _, at = _read_varint(data, at, end)
            out.append((number, kind, begin, at, at))
        elif kind == _WIRE_LEN:
            length, value = _read_varint(data, at, end)
            at = value + length
            if at > end:
                raise ValueError('a field runs past the end of its message')
            out.append((number, kind, begin, value, at))
        else:
            return None
    return out


_UPDATE = pb.ServerMessage.DESCRIPTOR.fields_by_name['update'].number
_REQUEST_ID = pb.ServerMessage.DESCRIPTOR.fields_by_name['request_id'].number
_DELTA = pb.Update.DESCRIPTOR.fields_by_name['delta'].number


def split_update(data: memoryview) -> Optional[Tuple[pb.ServerMessage, np.ndarray]]:
    """An encoded ``ServerMessage`` holding an ``Update``: the message with an empty ``update.delta``, and
    Δθ copied once from ``data`` into a new float32 array. None for anything else (another kind, or an
    encoding this does not take apart, e.g. the update in pieces): parse those whole. Raises ``ValueError``
    for bytes that are not protobuf."""
    top = _fields(data, 0, len(data))
    if top is None or any(n not in (_REQUEST_ID, _UPDATE) for n, *_ in top):
        return None
    updates = [f for f in top if f[0] == _UPDATE]
    if len(updates) != 1 or updates[0][1] != _WIRE_LEN:
        return None
    _, _, _, start, end = updates[0]
    inner = _fields(data, start, end)
    if inner is None:
        return None
    deltas = [f for f in inner if f[0] == _DELTA]
    if len(deltas) != 1 or deltas[0][1] != _WIRE_LEN:
        return None
    _, _, delta_field, delta_start, delta_end = deltas[0]
    if (delta_end - delta_start) % 4:
        return None  # the caller's check names the length
    message = pb.ServerMessage()
    try:
        message.ParseFromString(b''.join(bytes(data[begin:stop]) for number, _, begin, _, stop in top if number != _UPDATE))
        message.update.ParseFromString(bytes(data[start:delta_field]) + bytes(data[delta_end:end]))
    except Exception as e:  # protobuf's DecodeError
        raise ValueError(f'the update does not decode: {e}') from e
    message.update.SetInParent()
    delta = np.empty((delta_end - delta_start) // 4, dtype=np.float32)
    memoryview(delta).cast('B')[:] = data[delta_start:delta_end]
    return message, delta
