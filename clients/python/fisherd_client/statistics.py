"""Statistics contributions (proto ``BlockStatistics``): per parameter block, the sums over a worker's
examples that replace its b·D rows (docs/math.md, "Statistics contributions" and "Kronecker factors
(K-FAC)"): ``DiagonalMoments`` for diagonal blocks, ``KroneckerStatistics`` for ``Kronecker`` blocks; one
contribution may mix both kinds.

    stats = [DiagonalMoments(count=b, sum=s, sum_squares=q, centred_squares=m2, block='0')]
    client.step(reduction='mean', batch_size=b, statistics=stats, statistics_encoding='bfloat16')

    fc = kronecker_statistics_from_pairs(count=b, activations=a, output_grads=e, bias=True, block='fc')
    client.step(reduction='sum', batch_size=b, statistics=[fc])

Every vector holds sums of the rows ``r_n`` *as the client holds them* under the reduction it declares
(``'mean'``: r_n = g_n / b, the gradients of a mean-reduced loss; ``'sum'``: r_n = g_n); the daemon rescales
them exactly as it would the rows. ``diagonal_moments_from_rows`` computes them from rows in float64 (a
reference, and what a client without hooks sends); ``fisherd_client.torch.Preconditioner`` computes them
from layer hooks without forming the rows.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, List, Literal, Optional, Sequence

import numpy as np

from . import fisherd_pb2 as pb
from .config import Block, Kronecker
from .errors import fisherd_error
from .payloads import _as_array
from .wire import Path, Payloads, put_bytes

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


@dataclass
class OutputGradFactorSum:
    """One output-gradient factor sum G = Σ e eᵀ (out × out, symmetric; or its packed upper triangle) and
    its divisor ``count`` (math.md's table: b for the empirical and exact sources, b·K for sampled)."""

    sum: Any
    count: float


@dataclass
class KroneckerFactorSums:
    """One Kronecker block's factor sums over the examples (and steps) since its last factors, at math.md's
    per-example scale whatever the contribution's reduction (a mean-reduced loss's hook sees e_n/b: its
    Σ e eᵀ is multiplied by b² first).

    Attributes:
        input_sum: A = Σ ā āᵀ, in' × in' (ā = [a; 1] with a bias), a symmetric matrix or its upper
            triangle packed row by row (in'(in'+1)/2 values).
        input_count: its divisor: b, or b·R with weight sharing (K-FAC-expand); summed over the steps the
            sums cover (T_stat steps, or one).
        empirical: the data labels' G (the empirical Fisher's), count b.
        sampled: the G of K labels sampled from the model per example (the Monte-Carlo Fisher's), count b·K,
            with ``samples_per_example`` = K.
        exact: the columns of the loss Hessian's square root backpropagated (the type-2 Fisher's), count b.
        eigenbasis_squares, eigenbasis_count, basis_version: EKFAC blocks only (proto ``KroneckerFactors``).
    Matrices: numpy arrays or tensors (any device; a torch matrix is packed on its device first).
    """

    input_sum: Any
    input_count: float
    empirical: Optional[OutputGradFactorSum] = None
    sampled: Optional[OutputGradFactorSum] = None
    samples_per_example: Optional[int] = None
    exact: Optional[OutputGradFactorSum] = None
    eigenbasis_squares: Any = None
    eigenbasis_count: Optional[float] = None
    basis_version: Optional[int] = None


@dataclass
class GradientFactors:
    """A Kronecker block's gradient sum as the product of two thin factors (proto ``GradientFactors``):
    the out×in' matrix Σ_j e_j ā_jᵀ = Lᵀ R, whose weight columns (row-major) then bias column are
    ``KroneckerStatistics.sum`` in the block's layout (``gradient_factors_sum``). Fewer values than the
    sum when rank·(out + in') < out·in'.

    Attributes:
        output_grads: L, (rank, out): row j = e_j, the output gradient as the client holds it (scaled by
            the reduction like ``sum``).
        inputs: R, (rank, in'): row j = ā_j, the layer's input with the bias's 1 last when the block has
            a bias.
    Matrices: numpy arrays or tensors (any device; moved to the CPU when encoded); the rank is their
    common number of rows (one pair per example, b·R for R positions of a convolution or a sequence).
    """

    output_grads: Any
    inputs: Any

    @property
    def rank(self) -> int:
        return int(self.output_grads.shape[0])


@dataclass
class KroneckerStatistics:
    """A ``Kronecker`` block's statistics for one step (proto ``KroneckerStatistics``).

    Attributes:
        count: b_w, this step's examples (must equal the step's ``batch_size``).
        sum: Σ_n r_n, out·in' values in the block's layout (torch's ``parameters_to_vector([weight,
            bias])``), as the client holds the rows under its reduction (like ``DiagonalMoments.sum``).
            Exactly one of ``sum`` and ``sum_factors``.
        factors: the factor sums, on the steps that carry them (every T_stat steps: summed over the steps
            since the last, or the carrying step's alone, ``KroneckerSender``'s ``factors_from``; the first
            step of a session should carry them: until then the estimate is 0).
        block: the session block's name; ``''`` = the session's only block.
        sum_factors: ``sum`` as ``GradientFactors`` instead (fewer bytes when rank·(out + in') < out·in',
            and a cheaper solve on the daemon); in the contribution's encoding like ``sum``.
    """

    count: int
    sum: Any = None
    factors: Optional[KroneckerFactorSums] = None
    block: str = ''
    sum_factors: Optional[GradientFactors] = None


def gradient_factors_sum(factors: GradientFactors, bias: bool) -> np.ndarray:
    """Lᵀ R of ``factors`` in float64 as the vector ``KroneckerStatistics.sum`` would hold: the weight's
    out×in values row-major, then (``bias``: R's last column) the bias's out values."""
    left = np.asarray(_as_array(factors.output_grads), dtype=np.float64)
    right = np.asarray(_as_array(factors.inputs), dtype=np.float64)
    g = left.T @ right
    return np.concatenate([g[:, :-1].reshape(-1), g[:, -1]]) if bias else g.reshape(-1)


@functools.lru_cache(maxsize=16)
def _upper_mask(n: int) -> np.ndarray:
    """The n×n boolean mask of the upper triangle (row-major selection order = packed order)."""
    return np.triu(np.ones((n, n), dtype=bool))


@functools.lru_cache(maxsize=16)
def _upper_flat(n: int, device: Any) -> Any:
    """The packed upper triangle's flat indices into an n×n matrix, on ``device`` (a torch device)."""
    import torch  # only reached with a tensor

    rows, cols = torch.triu_indices(n, n, device=device)
    return rows * n + cols


def pack_upper(matrix: Any) -> Any:
    """The upper triangle of a square matrix packed row by row (M[0][0], M[0][1], …, M[n−1][n−1]); a
    torch tensor stays a tensor on its device, anything else becomes a numpy array."""
    if hasattr(matrix, 'detach') and hasattr(matrix, 'new_zeros'):
        import torch  # only reached with a tensor

        m = matrix.detach()
        n = m.shape[-1]
        if m.device.type == 'cpu':
            return torch.from_numpy(m.contiguous().numpy()[_upper_mask(n)])
        return torch.take(m.contiguous(), _upper_flat(n, m.device))
    m = np.asarray(_as_array(matrix))
    return m[_upper_mask(m.shape[-1])]


def unpack_upper(packed: Any, n: int) -> np.ndarray:
    """The symmetric n×n matrix of a packed upper triangle (float64)."""
    v = np.asarray(_as_array(packed), dtype=np.float64).reshape(-1)
    rows, cols = np.triu_indices(n)
    out = np.zeros((n, n))
    out[rows, cols] = v
    out[cols, rows] = v
    return out


def kronecker_statistics_from_pairs(
    *, count: int, activations: Any, output_grads: Any, bias: bool, sampled: Any = None, exact: Any = None,
    factors: bool = True, reduction: str = 'sum', block: str = '',
) -> KroneckerStatistics:
    """One layer's Kronecker statistics from per-example pairs in float64 (a reference; what a client
    without hooks sends; the TypeScript client's ``kroneckerStatisticsFromPairs``): ``activations`` a_n
    (b, in) without the bias's 1, ``output_grads`` e_n (b, out) of the data labels at the per-example
    scale, ``sampled`` (b, K, out) and ``exact`` (b, C, out) per source. ``sum`` = Σ_n vec(e_n ā_nᵀ) in
    the block's layout, divided by b for ``reduction='mean'``; ``factors=False`` for the steps between
    T_stat ones."""
    a = np.asarray(_as_array(activations), dtype=np.float64).reshape(count, -1)
    e = np.asarray(_as_array(output_grads), dtype=np.float64).reshape(count, -1)
    if bias:
        a = np.concatenate([a, np.ones((count, 1))], axis=1)
    g = e.T @ a  # (out, in')
    total = np.concatenate([g[:, :-1].reshape(-1), g[:, -1]]) if bias else g.reshape(-1)
    if reduction == 'mean':
        total = total / count
    out = KroneckerStatistics(count=count, sum=total, block=block)
    if not factors:
        return out
    f = KroneckerFactorSums(input_sum=a.T @ a, input_count=count, empirical=OutputGradFactorSum(e.T @ e, count))
    if sampled is not None:
        s = np.asarray(_as_array(sampled), dtype=np.float64)
        flat = s.reshape(-1, s.shape[-1])
        f.sampled, f.samples_per_example = OutputGradFactorSum(flat.T @ flat, flat.shape[0]), s.shape[1]
    if exact is not None:
        u = np.asarray(_as_array(exact), dtype=np.float64)
        flat = u.reshape(-1, u.shape[-1])
        f.exact = OutputGradFactorSum(flat.T @ flat, count)
    out.factors = f
    return out


def add_factor_sums(x: KroneckerFactorSums, y: KroneckerFactorSums) -> KroneckerFactorSums:
    """Two steps' (or micro-batches') factor sums added, counts added (T_stat: the sums since the last
    send). Sources present in both are added, the others dropped; EKFAC fields are not summed (dropped)."""
    def source(g: Optional[OutputGradFactorSum], h: Optional[OutputGradFactorSum]) -> Optional[OutputGradFactorSum]:
        return None if g is None or h is None else OutputGradFactorSum(g.sum + h.sum, g.count + h.count)

    sampled = source(x.sampled, y.sampled)
    return KroneckerFactorSums(
        input_sum=x.input_sum + y.input_sum, input_count=x.input_count + y.input_count,
        empirical=source(x.empirical, y.empirical), sampled=sampled,
        samples_per_example=x.samples_per_example if sampled is not None else None, exact=source(x.exact, y.exact))


def _flat(value: Any) -> np.ndarray:
    """``value`` as a flat numpy array: float32 and float64 as they are (a CPU tensor's or a contiguous
    array's memory, no copy), anything else as float64."""
    array = np.asarray(_as_array(value))
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    return array.reshape(-1)


def encode_vector(value: Any, encoding: StatisticsEncoding) -> bytes:
    """Little-endian bytes of ``value`` in ``encoding``: float32 and float16 round to nearest even,
    bfloat16 takes the top half of the float32 rounded to nearest even (as the daemon's encoder)."""
    return encode_array(value, encoding).tobytes()


def encode_array(value: Any, encoding: StatisticsEncoding) -> np.ndarray:
    """``encode_vector``'s values as a flat little-endian array, whose memory holds exactly those bytes:
    ``'<f4'`` (float32), ``'<f2'`` (float16) or ``'<u2'`` (the bfloat16 bit patterns). A float32 vector (a
    CPU tensor, a numpy array) is returned as it is (its memory, no copy)."""
    array = _flat(value)
    if encoding == 'float32':
        with np.errstate(over='ignore'):
            return array.astype('<f4', copy=False)
    if encoding == 'float16':
        with np.errstate(over='ignore'):
            return array.astype('<f2')
    with np.errstate(over='ignore'):
        single = array.astype('<f4', copy=False)
    bits = single.view('<u4')
    # (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 in uint32: only NaN bit patterns could wrap, and NaN is
    # set apart below.
    rounded = bits >> 16
    rounded &= 1
    rounded += 0x7FFF
    rounded += bits
    rounded >>= 16
    out = rounded.astype('<u2')
    if single.size and np.isnan(single.max()):  # max propagates NaN: one pass, no mask unless there is one
        out[np.isnan(single)] = 0x7FC0
    return out


def decode_vector(data: bytes, encoding: StatisticsEncoding) -> np.ndarray:
    """The float64 values of ``encode_vector``'s bytes (tests; what the daemon reads)."""
    return _decoded(data, encoding).astype(np.float64)


def _decoded(data: bytes, encoding: StatisticsEncoding) -> np.ndarray:
    """``encode_vector``'s bytes as exact values in the narrowest numpy type that holds them (float32 and
    float16 read in place, bfloat16 widened to float32)."""
    return _decoded_array(np.frombuffer(data, '<u2' if encoding == 'bfloat16' else '<f4' if encoding == 'float32' else '<f2'), encoding)


def _decoded_array(encoded: np.ndarray, encoding: StatisticsEncoding) -> np.ndarray:
    """``encode_array``'s output as exact values (``_decoded``): float32 and float16 as they are, bfloat16
    widened to float32."""
    if encoding != 'bfloat16':
        return encoded
    high = encoded.astype(np.uint32)
    high <<= 16
    return high.view('<f4')


def _first(bad: np.ndarray) -> int:
    return int(np.argmax(bad))


def encode_statistics(
    statistics: Sequence[DiagonalMoments], encoding: StatisticsEncoding, blocks: Sequence[Block], dim: int,
    batch_size: int, step: int, out: Any, payloads: Optional[Payloads] = None,
) -> None:
    """Checks the entries against the session (names, sizes, counts, finite values, squares ≥ 0, in the
    chosen encoding) and appends them to ``out`` (``StepContribution.statistics``); with ``payloads``, the
    encoded vectors are recorded there (paths from the StepContribution) instead of set on the messages."""
    if encoding not in _ENCODINGS:
        raise fisherd_error('INVALID_CONFIG', f"statistics_encoding must be 'float32', 'float16' or 'bfloat16', got {encoding!r}",
                            field='statistics_encoding', step=step, local=True)
    if not statistics:
        raise fisherd_error('SHAPE_MISMATCH', 'statistics must list at least one block', field='statistics', step=step, local=True)
    sizes = {b.name: b.size for b in blocks}
    structures = {b.name: b.structure for b in blocks}
    for i, entry in enumerate(statistics):
        at = f'statistics[{i}]'
        if entry.block == '':
            size = dim
            structure = blocks[0].structure if len(blocks) == 1 else None
        elif entry.block not in sizes:
            raise fisherd_error('UNKNOWN_BLOCK', f'{at}.block {entry.block!r} is not a block of the session (blocks: {", ".join(sizes)})',
                                field=f'{at}.block', step=step, local=True)
        else:
            size, structure = sizes[entry.block], structures[entry.block]
        if entry.count != batch_size:
            raise fisherd_error('SHAPE_MISMATCH', f'{at}.count is {entry.count}, but batch_size is {batch_size}',
                                field=f'{at}.count', step=step, local=True)
        if isinstance(entry, KroneckerStatistics):
            if not isinstance(structure, Kronecker):
                raise fisherd_error('INVALID_CONFIG', f'{at} holds Kronecker statistics, but block {entry.block or "all"!r} is not a '
                                    'Kronecker block (send DiagonalMoments)', field=f'{at}.kronecker', step=step, local=True)
            _encode_kronecker(entry, structure, size, encoding, f'{at}.kronecker', step, out.add(),
                              payloads, (('statistics', len(out) - 1), 'kronecker'))
            continue
        message = out.add()
        path: Path = (('statistics', len(out) - 1), 'diagonal')
        message.block = entry.block
        moments = message.diagonal
        moments.count = int(entry.count)
        moments.encoding = _ENCODINGS[encoding]
        for name in _VECTORS:
            value = getattr(entry, name)
            if value is None:
                continue
            field = f'{at}.{name}'
            data = _checked_vector(value, size, encoding, field, step, nonnegative=name != 'sum',
                                   size_note=f'but block {entry.block or "all"!r} has {size}')
            put_bytes(moments, name, data, payloads, path)
        if entry.sampled_label_squares is not None:
            k = entry.samples_per_example
            if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
                raise fisherd_error('SHAPE_MISMATCH', f'{at}.samples_per_example must be an integer ≥ 1, got {k!r}',
                                    field=f'{at}.samples_per_example', step=step, local=True)
            moments.samples_per_example = int(k)


def _checked_vector(value: Any, size: int, encoding: StatisticsEncoding, field: str, step: int, *,
                    nonnegative: bool = False, size_note: Optional[str] = None) -> np.ndarray:
    """``value`` encoded (``encode_array``: its memory holds the wire's bytes), checked as the daemon will
    read it: ``size`` values, every one finite (and ≥ 0 with ``nonnegative``)."""
    data = encode_array(value, encoding)
    decoded = _decoded_array(data, encoding)
    if decoded.size != size:
        raise fisherd_error('SHAPE_MISMATCH', f'{field} has {decoded.size} values, {size_note or f"expected {size}"}',
                            field=field, step=step, local=True)
    if not nonnegative:
        # One reduction: a sum propagates NaN and ±Inf, so a finite sum means finite values (a sum that
        # overflows from finite values goes the exact way below).
        with np.errstate(over='ignore', invalid='ignore'):
            total = np.add.reduce(decoded, dtype=np.float32 if decoded.dtype == np.float16 else None)
        if np.isfinite(total):
            return data
    # Two reductions instead of element-wise masks: min and max propagate NaN, and a vector is finite
    # (and ≥ 0) iff they are.
    low, high = (decoded.min(), decoded.max()) if decoded.size else (0.0, 0.0)
    if not (np.isfinite(low) and np.isfinite(high)):
        j = _first(~np.isfinite(decoded))
        raise fisherd_error('NON_FINITE', f'{field}[{j}] is {float(decoded[j])} in {encoding}; every value must be finite'
                            + (' (float16 holds |x| ≤ 65504: use bfloat16 or float32)' if encoding == 'float16' else ''),
                            field=field, step=step, local=True)
    if nonnegative and low < 0:
        j = _first(decoded < 0)
        raise fisherd_error('INVALID_CONFIG', f'{field}[{j}] is {float(decoded[j])}; a sum of squares is ≥ 0', field=field, step=step, local=True)
    return data


@functools.lru_cache(maxsize=16)
def _diagonal_positions(n: int) -> np.ndarray:
    """Where M[i][i] lies in the packed upper triangle of an n×n matrix: i·n − i(i−1)/2."""
    i = np.arange(n, dtype=np.intp)
    return i * n - i * (i - 1) // 2


def _checked_factor(value: Any, n: int, encoding: StatisticsEncoding, field: str, step: int) -> np.ndarray:
    """An n×n factor sum (a matrix, packed here, or already packed) as its encoded packed upper triangle."""
    shape = tuple(getattr(value, 'shape', np.shape(value)))
    if len(shape) == 2:
        if shape != (n, n):
            raise fisherd_error('SHAPE_MISMATCH', f'{field} is {shape[0]}×{shape[1]}, expected {n}×{n}', field=field, step=step, local=True)
        value = pack_upper(value)
    data = _checked_vector(value, n * (n + 1) // 2, encoding, field, step)
    decoded = _decoded_array(data, encoding)
    diagonal = decoded[_diagonal_positions(n)]
    if (diagonal < 0).any():
        i = int(np.argmin(diagonal >= 0))
        raise fisherd_error('INVALID_CONFIG', f'{field}[{i}][{i}] is {diagonal[i]}; a sum of outer products has a diagonal ≥ 0',
                            field=field, step=step, local=True)
    return data


def _checked_count(value: Any, field: str, step: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not 0 < float(value) < float('inf'):
        raise fisherd_error('INVALID_CONFIG', f'{field} must be finite and > 0, got {value!r}', field=field, step=step, local=True)
    return float(value)


def _encode_gradient_factors(factors: Any, outputs: int, order: int, encoding: StatisticsEncoding, at: str, step: int,
                             message: Any, payloads: Optional[Payloads], path: Path) -> None:
    """``GradientFactors`` checked (L rank × out, R rank × in', rank ≥ 1, finite in the encoding) and set on
    ``message`` (or recorded in ``payloads``): each matrix's row-major values as one encoded vector."""
    shapes = []
    for name, width in (('output_grads', outputs), ('inputs', order)):
        shape = tuple(getattr(getattr(factors, name), 'shape', np.shape(getattr(factors, name))))
        if len(shape) != 2 or shape[1] != width:
            raise fisherd_error('SHAPE_MISMATCH', f'{at}.{name} is {"×".join(map(str, shape))}, expected rank×{width}',
                                field=f'{at}.{name}', step=step, local=True)
        shapes.append(shape)
    rank = shapes[0][0]
    if rank < 1 or shapes[1][0] != rank:
        raise fisherd_error('SHAPE_MISMATCH', f'{at}: output_grads has {rank} rows and inputs {shapes[1][0]}; both need the same '
                            'rank ≥ 1', field=f'{at}.inputs', step=step, local=True)
    message.SetInParent()
    message.rank = int(rank)
    for name, width in (('output_grads', outputs), ('inputs', order)):
        data = _checked_vector(getattr(factors, name), rank * width, encoding, f'{at}.{name}', step)
        put_bytes(message, name, data, payloads, path)


def _encode_kronecker(entry: KroneckerStatistics, shape: Kronecker, size: int, encoding: StatisticsEncoding,
                      at: str, step: int, message: Any, payloads: Optional[Payloads], path: Path) -> None:
    message.block = entry.block
    k = message.kronecker
    k.count = int(entry.count)
    k.encoding = _ENCODINGS[encoding]
    order = shape.inputs + (1 if shape.bias else 0)
    if (entry.sum is None) == (entry.sum_factors is None):
        raise fisherd_error('MISSING_INPUT' if entry.sum is None else 'INVALID_CONFIG',
                            f'{at} needs exactly one of sum and sum_factors (the gradient sum, dense or as factors)',
                            field=f'{at}.sum', step=step, local=True)
    if entry.sum is not None:
        put_bytes(k, 'sum', _checked_vector(entry.sum, size, encoding, f'{at}.sum', step), payloads, path)
    else:
        _encode_gradient_factors(entry.sum_factors, shape.outputs, order, encoding, f'{at}.sum_factors', step, k.sum_factors,
                                 payloads, path + ('sum_factors',))
    f = entry.factors
    if f is None:
        return
    base = f'{at}.factors'
    w = k.factors
    path = path + ('factors',)
    w.SetInParent()  # present even when every field of it is recorded in payloads
    put_bytes(w, 'input_sum', _checked_factor(f.input_sum, order, encoding, f'{base}.input_sum', step), payloads, path)
    w.input_count = _checked_count(f.input_count, f'{base}.input_count', step)
    for name in ('empirical', 'sampled', 'exact'):
        g = getattr(f, name)
        if g is None:
            continue
        target = getattr(w, name)
        target.SetInParent()
        put_bytes(target, 'sum', _checked_factor(g.sum, shape.outputs, encoding, f'{base}.{name}.sum', step), payloads, path + (name,))
        target.count = _checked_count(g.count, f'{base}.{name}.count', step)
    if f.sampled is not None:
        kk = f.samples_per_example
        if not isinstance(kk, (int, np.integer)) or isinstance(kk, bool) or kk < 1:
            raise fisherd_error('SHAPE_MISMATCH', f'{base}.samples_per_example must be an integer ≥ 1 with sampled, got {kk!r}',
                                field=f'{base}.samples_per_example', step=step, local=True)
        w.samples_per_example = int(kk)
    if f.eigenbasis_squares is not None:
        put_bytes(w, 'eigenbasis_squares', _checked_vector(f.eigenbasis_squares, size, encoding, f'{base}.eigenbasis_squares', step),
                  payloads, path)
        w.eigenbasis_count = _checked_count(f.eigenbasis_count, f'{base}.eigenbasis_count', step)
        w.basis_version = int(f.basis_version or 0)


__all__: List[str] = ['DiagonalMoments', 'KroneckerStatistics', 'KroneckerFactorSums', 'GradientFactors', 'OutputGradFactorSum',
                      'StatisticsEncoding', 'gradient_factors_sum', 'diagonal_moments_from_rows', 'kronecker_statistics_from_pairs',
                      'add_factor_sums', 'pack_upper', 'unpack_upper', 'encode_statistics', 'encode_vector', 'encode_array', 'decode_vector']
