"""Statistics contributions (proto ``BlockStatistics`` / ``DiagonalMoments``): per parameter block, the sums
over a worker's examples that replace its b·D rows (docs/math.md, "Statistics contributions").

    stats = [DiagonalMoments(count=b, sum=s, sum_squares=q, centred_squares=m2, block='0')]
    client.step(reduction='mean', batch_size=b, statistics=stats, statistics_encoding='bfloat16')

Every vector holds sums of the rows ``r_n`` *as the client holds them* under the reduction it declares
(``'mean'``: r_n = g_n / b, the gradients of a mean-reduced loss; ``'sum'``: r_n = g_n); the daemon rescales
them exactly as it would the rows. ``diagonal_moments_from_rows`` computes them from rows in float64 (a
reference, and what a client without hooks sends); ``fisherd_client.torch.Preconditioner`` computes them
from layer hooks without forming the rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Literal, Optional, Sequence

import numpy as np

from . import fisherd_pb2 as pb
from .config import Block
from .errors import fisherd_error
from .payloads import _as_array

StatisticsEncoding = Literal['float32', 'float16', 'bfloat16']
_ENCODINGS = {
    'float32': pb.FLOAT_ENCODING_FLOAT32,
    'float16': pb.FLOAT_ENCODING_FLOAT16,
    'bfloat16': pb.FLOAT_ENCODING_BFLOAT16,
}
_VECTORS = ('sum', 'sum_squares', 'centred_squares', 'sampled_label_squares', 'factor_squares')


@dataclass
class DiagonalMoments:
    """One block's diagonal statistics over ``count`` examples (math.md's table).

    Attributes:
        count: b_w, the examples summed (must equal the step's ``batch_size``).
        sum: Σ_n r_n (required).
        sum_squares: Σ_n r_n∘r_n, for the empirical Fisher (efgd, track.empirical_fisher).
        centred_squares: Σ_n (r_n − r̄)∘(r_n − r̄), r̄ = sum/count, computed in two passes, for the noise
            (snr, va, track.noise).
        sampled_label_squares: Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} over K sampled-label rows per example (ngd with
            the sampled Fisher, track.fisher), with ``samples_per_example`` = K.
        factor_squares: Σ_n Σ_c u_{n,c}∘u_{n,c} over exact factor rows (fisher_source 'exact').
        block: the session block's name; ``''`` = the whole parameter vector (then the only entry).
    Vectors: numpy arrays or tensors (any device; moved to the CPU when encoded), the block's size each.
    """

    count: int
    sum: Any
    sum_squares: Any = None
    centred_squares: Any = None
    sampled_label_squares: Any = None
    samples_per_example: Optional[int] = None
    factor_squares: Any = None
    block: str = ''


def diagonal_moments_from_rows(
    rows: Any, *, sampled: Any = None, factors: Any = None, block: str = '',
) -> DiagonalMoments:
    """The moments of (b, d) rows in float64, the centred one in two passes; ``sampled`` (b, K, d) and
    ``factors`` (b, C, d) give the Fisher sums."""
    r = np.asarray(_as_array(rows), dtype=np.float64)
    b = r.shape[0]
    mean = r.sum(axis=0) / b
    out = DiagonalMoments(count=b, sum=r.sum(axis=0), sum_squares=(r * r).sum(axis=0),
                          centred_squares=((r - mean) ** 2).sum(axis=0), block=block)
    if sampled is not None:
        s = np.asarray(_as_array(sampled), dtype=np.float64)
        out.sampled_label_squares = (s * s).sum(axis=(0, 1))
        out.samples_per_example = s.shape[1]
    if factors is not None:
        u = np.asarray(_as_array(factors), dtype=np.float64)
        out.factor_squares = (u * u).sum(axis=(0, 1))
    return out


def encode_vector(value: Any, encoding: StatisticsEncoding) -> bytes:
    """Little-endian bytes of ``value`` in ``encoding``: float32 and float16 round to nearest even,
    bfloat16 takes the top half of the float32 rounded to nearest even (as the daemon's encoder)."""
    array = np.asarray(_as_array(value), dtype=np.float64).reshape(-1)
    if encoding == 'float32':
        with np.errstate(over='ignore'):
            return array.astype('<f4').tobytes()
    if encoding == 'float16':
        with np.errstate(over='ignore'):
            return array.astype('<f2').tobytes()
    with np.errstate(over='ignore'):
        single = array.astype('<f4')
    bits = single.view('<u4').astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    nan = np.isnan(single)
    if nan.any():
        rounded[nan] = 0x7FC0
    return rounded.astype('<u2').tobytes()


def decode_vector(data: bytes, encoding: StatisticsEncoding) -> np.ndarray:
    """The float64 values of ``encode_vector``'s bytes (tests; what the daemon reads)."""
    if encoding == 'float32':
        return np.frombuffer(data, '<f4').astype(np.float64)
    if encoding == 'float16':
        return np.frombuffer(data, '<f2').astype(np.float64)
    high = np.frombuffer(data, '<u2').astype(np.uint32) << 16
    return high.view('<f4').astype(np.float64)


def encode_statistics(
    statistics: Sequence[DiagonalMoments], encoding: StatisticsEncoding, blocks: Sequence[Block], dim: int,
    batch_size: int, step: int, out: Any,
) -> None:
    """Checks the entries against the session (names, sizes, counts, finite values, squares ≥ 0, in the
    chosen encoding) and appends them to ``out`` (``StepContribution.statistics``)."""
    if encoding not in _ENCODINGS:
        raise fisherd_error('INVALID_CONFIG', f"statistics_encoding must be 'float32', 'float16' or 'bfloat16', got {encoding!r}",
                            field='statistics_encoding', step=step, local=True)
    if not statistics:
        raise fisherd_error('SHAPE_MISMATCH', 'statistics must list at least one block', field='statistics', step=step, local=True)
    sizes = {b.name: b.size for b in blocks}
    for i, entry in enumerate(statistics):
        at = f'statistics[{i}]'
        if entry.block == '':
            size = dim
        elif entry.block not in sizes:
            raise fisherd_error('UNKNOWN_BLOCK', f'{at}.block {entry.block!r} is not a block of the session (blocks: {", ".join(sizes)})',
                                field=f'{at}.block', step=step, local=True)
        else:
            size = sizes[entry.block]
        if entry.count != batch_size:
            raise fisherd_error('SHAPE_MISMATCH', f'{at}.count is {entry.count}, but batch_size is {batch_size}',
                                field=f'{at}.count', step=step, local=True)
        message = out.add()
        message.block = entry.block
        moments = message.diagonal
        moments.count = int(entry.count)
        moments.encoding = _ENCODINGS[encoding]
        for name in _VECTORS:
            value = getattr(entry, name)
            if value is None:
                continue
            field = f'{at}.{name}'
            data = encode_vector(value, encoding)
            decoded = decode_vector(data, encoding)
            if decoded.size != size:
                raise fisherd_error('SHAPE_MISMATCH', f'{field} has {decoded.size} values, but block {entry.block or "all"!r} has {size}',
                                    field=field, step=step, local=True)
            if not np.isfinite(decoded).all():
                j = int(np.argmin(np.isfinite(decoded)))
                raise fisherd_error('NON_FINITE', f'{field}[{j}] is {decoded[j]} in {encoding}; every value must be finite'
                                    + (' (float16 holds |x| ≤ 65504: use bfloat16 or float32)' if encoding == 'float16' else ''),
                                    field=field, step=step, local=True)
            if name != 'sum' and (decoded < 0).any():
                j = int(np.argmin(decoded >= 0))
                raise fisherd_error('INVALID_CONFIG', f'{field}[{j}] is {decoded[j]}; a sum of squares is ≥ 0', field=field, step=step, local=True)
            setattr(moments, name, data)
        if entry.sampled_label_squares is not None:
            k = entry.samples_per_example
            if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
                raise fisherd_error('SHAPE_MISMATCH', f'{at}.samples_per_example must be an integer ≥ 1, got {k!r}',
                                    field=f'{at}.samples_per_example', step=step, local=True)
            moments.samples_per_example = int(k)


__all__: List[str] = ['DiagonalMoments', 'StatisticsEncoding', 'diagonal_moments_from_rows', 'encode_statistics',
                      'encode_vector', 'decode_vector']
