"""Float payloads: user arrays -> the little-endian float32 bytes the protocol carries, checked first.

The protocol sends every gradient as little-endian IEEE-754 float32 ``bytes`` whose shape is implied by
the session's dimension D and the row counts (proto/fisherd.proto). This module turns what a training
loop has at hand (numpy arrays, anything ``np.asarray`` accepts, CPU torch tensors, or a mapping from
block name to one array per parameter block) into exactly those bytes, the same ones the TypeScript
client sends (``Float32Array.from`` rounds float64 to nearest, as ``np.asarray(x, '<f4')`` does), and
raises ``ShapeError`` / ``NonFiniteError`` naming the field and what to fix before anything is sent.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Tuple

import numpy as np

from .config import Block
from .errors import fisherd_error

#: Little-endian float32, the wire's element type.
WIRE_FLOAT32 = np.dtype('<f4')


def _shape_error(field: str, message: str, step: Optional[int]) -> Exception:
    return fisherd_error('SHAPE_MISMATCH', f'{field} {message}', field=field, step=step, local=True)


def _as_array(value: Any) -> np.ndarray:
    """``value`` as a numpy array without copying where possible (torch tensors are detached first)."""
    if hasattr(value, 'detach') and hasattr(value, 'cpu'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def to_float32(value: Any, field: str, step: Optional[int]) -> np.ndarray:
    """``value`` as a C-contiguous little-endian float32 array, NaN/±Inf rejected.

    float64 input is rounded to nearest float32; a finite float64 beyond float32's range becomes ±Inf
    and is rejected too (it would be on the wire).
    """
    array = _as_array(value)
    if array.dtype.kind not in 'fiub':
        raise _shape_error(field, f'must hold real numbers, got dtype {array.dtype}', step)
    with np.errstate(over='ignore'):
        out = np.ascontiguousarray(array, dtype=WIRE_FLOAT32)
    finite = np.isfinite(out)
    if not finite.all():
        index = np.unravel_index(int(np.argmin(finite)), out.shape) if out.ndim else ()
        where = f'{field}[{", ".join(map(str, index))}]' if index else field
        original = array[index] if index else array
        what = f'{original}' if not np.isfinite(original) else f'{original}, which overflows float32'
        raise fisherd_error(
            'NON_FINITE',
            f'{where} is {what}; every value must be finite (check the loss and the step size)',
            field=field, step=step, local=True,
        )
    return out


def _per_example_width(array: np.ndarray, lead: int) -> int:
    return int(np.prod(array.shape[lead:], dtype=np.int64))


def rows_matrix(
    value: Any,
    field: str,
    blocks: Sequence[Block],
    dim: int,
    lead_axes: int,
    step: Optional[int],
) -> np.ndarray:
    """Rows of D float32: ``value`` is an array whose first ``lead_axes`` axes index rows (e.g. (b, D) or
    (b, K, D)) and whose remaining axes hold D values, or a mapping from every block name to an array
    with the same leading axes and the block's values after them (e.g. (b, *param.shape)).

    Returns an array of shape ``lead_shape + (D,)``.
    """
    if isinstance(value, Mapping):
        return _rows_from_blocks(value, field, blocks, dim, lead_axes, step)
    array = to_float32(value, field, step)
    if array.ndim < lead_axes + 1:
        want = ', '.join(['b', 'K'][:lead_axes] + [str(dim)])
        raise _shape_error(field, f'has shape {array.shape}; expected ({want}), rows of the session\'s dim {dim}', step)
    width = _per_example_width(array, lead_axes)
    if width != dim:
        raise _shape_error(
            field, f'has shape {array.shape}: {width} values per row, but the session\'s dim is {dim}', step)
    return array.reshape(array.shape[:lead_axes] + (dim,))


def _rows_from_blocks(
    value: Mapping[str, Any], field: str, blocks: Sequence[Block], dim: int, lead_axes: int, step: Optional[int],
) -> np.ndarray:
    names = [b.name for b in blocks]
    unknown = [k for k in value if k not in names]
    if unknown:
        raise fisherd_error(
            'UNKNOWN_BLOCK', f'{field} has block {unknown[0]!r}, which the session does not have (blocks: {", ".join(names)})',
            field=f'{field}[{unknown[0]!r}]', step=step, local=True)
    missing = [n for n in names if n not in value]
    if missing:
        raise _shape_error(field, f'lacks block {missing[0]!r}: give every block of the session ({", ".join(names)})', step)
    parts = []
    lead: Optional[Tuple[int, ...]] = None
    for block in blocks:
        at = f'{field}[{block.name!r}]'
        array = to_float32(value[block.name], at, step)
        if array.ndim < lead_axes:
            raise _shape_error(at, f'has shape {array.shape}; expected {lead_axes} leading row axes', step)
        this_lead = array.shape[:lead_axes]
        if lead is not None and this_lead != lead:
            raise _shape_error(at, f'has leading shape {this_lead}, but the other blocks have {lead}', step)
        lead = this_lead
        width = _per_example_width(array, lead_axes)
        if width != block.size:
            raise _shape_error(at, f'has {width} values per row (shape {array.shape}), but block {block.name!r} has size {block.size}', step)
        parts.append(array.reshape(this_lead + (block.size,)))
    assert lead is not None
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=lead_axes)


def vector(value: Any, field: str, blocks: Sequence[Block], dim: int, step: Optional[int]) -> np.ndarray:
    """One vector of D float32 (``mean_grad``, ``params``): an array of D values in any shape, or a mapping
    from every block name to the block's values."""
    return rows_matrix(value, field, blocks, dim, 0, step)


def wire_bytes(array: np.ndarray) -> bytes:
    """The little-endian float32 bytes of a checked array (``to_float32``'s output)."""
    return wire_array(array).tobytes()


def wire_array(array: np.ndarray) -> np.ndarray:
    """A checked array (``to_float32``'s output) as C-contiguous little-endian float32: its memory holds
    the wire's bytes (no copy when it already is)."""
    return np.ascontiguousarray(array, dtype=WIRE_FLOAT32)


def read_float32(data: bytes, field: str, length: Optional[int] = None) -> np.ndarray:
    """A writable float32 array from little-endian wire bytes, checking the length."""
    if len(data) % 4 != 0 or (length is not None and len(data) != 4 * length):
        want = 'a multiple of 4' if length is None else f'{4 * length} ({length} float32)'
        raise fisherd_error('SHAPE_MISMATCH', f'{field} has {len(data)} bytes, expected {want}', field=field)
    return np.frombuffer(data, dtype=WIRE_FLOAT32).astype(np.float32)


def read_float64(data: bytes, field: str, length: Optional[int] = None) -> np.ndarray:
    """A writable float64 array from little-endian wire bytes (estimates), checking the length."""
    if len(data) % 8 != 0 or (length is not None and len(data) != 8 * length):
        want = 'a multiple of 8' if length is None else f'{8 * length} ({length} float64)'
        raise fisherd_error('SHAPE_MISMATCH', f'{field} has {len(data)} bytes, expected {want}', field=field)
    return np.frombuffer(data, dtype='<f8').astype(np.float64)
