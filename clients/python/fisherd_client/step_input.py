"""One worker's share of one step (proto ``StepContribution``), checked against the session and encoded.

Scalings (math.md, src/session/contribution.ts): the daemon's estimates are built from gradients of the
per-example loss ℓ_n = −log p(y_n | f(x_n, θ)). ``reduction`` says how the client reduced its loss over
its b examples before differentiating, and the daemon converts:

| reduction | client's loss     | per-example / sampled-label rows | factor rows  | mean_grad |
|-----------|-------------------|----------------------------------|--------------|-----------|
| 'mean'    | (1/b) Σ_n ℓ_n     | g_n / b                          | u_{n,c} / √b | ḡ         |
| 'sum'     | Σ_n ℓ_n           | g_n                              | u_{n,c}      | Σ_n g_n   |

Every check that needs only the session's dimension and blocks runs here, before anything is sent:
shapes (``ShapeError``), NaN/±Inf (``NonFiniteError``), unknown block names (``UNKNOWN_BLOCK``), a
batch size that contradicts the rows, a missing reduction. What needs the session's state (step order,
the inputs its estimates need) is the daemon's to check.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional

import numpy as np

from . import fisherd_pb2 as pb
from .errors import fisherd_error
from .payloads import rows_matrix, vector, wire_array
from .results import SessionInfo
from .statistics import encode_statistics
from .wire import Payloads, put_bytes

Reduction = Literal['mean', 'sum']
_REDUCTIONS = {'mean': pb.REDUCTION_MEAN, 'sum': pb.REDUCTION_SUM}


@dataclass
class StepInput:
    """One step's contribution. Arrays may be numpy arrays, anything ``np.asarray`` takes, CPU torch
    tensors, or mappings from every block name to that block's array (flattened per row, in block order).

    Attributes:
        reduction: ``'mean'`` or ``'sum'``, how the loss was reduced over the batch (table above). Required.
        per_example_grads: (b, D) rows g_n (or g_n/b for 'mean'); blocks: (b, *block_shape) each.
        sampled_label_grads: (b, K, D) gradients for K labels sampled from the model per example, or
            (b·K, D) with ``samples_per_example`` = K; blocks: (b, K, *block_shape) each.
        samples_per_example: K, needed only when ``sampled_label_grads`` is 2-D.
        fisher_factor_rows: (b, C, D) exact Fisher factor rows u_{n,c}, or (b·C, D) with ``factors_per_example``.
        factors_per_example: C, needed only when ``fisher_factor_rows`` is 2-D.
        mean_grad: (D,) the minibatch mean gradient alone (SGD-type optimizers without per-example rows).
        params: (D,) the current parameters θ (optimizers with weight decay).
        batch_size: b; inferred from the rows when not given (required with only ``mean_grad``).
        loss: this worker's minibatch loss (mean over its examples), for diagnostics.
        step: the step index (default: the client's next step).
        worker_id: this worker's id (default: the client's ``worker_id``).
        statistics: instead of rows, a list per block of ``statistics.DiagonalMoments`` (diagonal blocks)
            or ``statistics.KroneckerStatistics`` (``Kronecker`` blocks), or one entry with block ``''``
            for all D, summed over the rows as held under ``reduction``; needs ``batch_size``. Cannot come
            with rows or ``mean_grad``.
        statistics_encoding: ``'float32'`` (default), ``'float16'`` or ``'bfloat16'`` (2 bytes a value).
        loss_after_previous_update: damping adaptation (``Optimizer.damping_adaptation``): the loss of the
            PREVIOUS step's batch (this worker's, mean over its examples) at the parameters after the
            previous step's update, L(θ_{t−1} + Δ_{t−1}); one extra forward pass on the batch the client
            still holds. Optional (a step without it skips that adaptation); must be finite.
    """

    reduction: Optional[Reduction] = None
    per_example_grads: Any = None
    sampled_label_grads: Any = None
    samples_per_example: Optional[int] = None
    fisher_factor_rows: Any = None
    factors_per_example: Optional[int] = None
    mean_grad: Any = None
    params: Any = None
    batch_size: Optional[int] = None
    loss: Optional[float] = None
    step: Optional[int] = None
    worker_id: Optional[int] = None
    statistics: Any = None
    statistics_encoding: str = 'float32'
    loss_after_previous_update: Optional[float] = None


def _shape_error(field: str, message: str, step: int) -> Exception:
    return fisherd_error('SHAPE_MISMATCH', f'{field} {message}', field=field, step=step, local=True)


def _grouped_rows(
    value: Any, per_example: Optional[int], field: str, count_field: str, session: SessionInfo, step: int,
) -> np.ndarray:
    """Rows with K (or C) per example as a (b, K, D) array, from (b, K, D) / blocks, or (b·K, D) with K given."""
    if per_example is None:
        rows = rows_matrix(value, field, session.blocks, session.dim, 2, step)
        if rows.shape[1] == 0:
            raise _shape_error(field, f'has shape {rows.shape}: no rows per example (axis 1 must be ≥ 1)', step)
        return rows
    if isinstance(per_example, bool) or not isinstance(per_example, (int, np.integer)) or per_example < 1:
        raise _shape_error(count_field, f'must be an integer ≥ 1, got {per_example!r}', step)
    rows = rows_matrix(value, field, session.blocks, session.dim, 1, step)
    if rows.shape[0] % per_example != 0:
        raise _shape_error(field, f'has {rows.shape[0]} rows, not a multiple of {count_field} = {per_example}', step)
    return rows.reshape(rows.shape[0] // per_example, int(per_example), session.dim)


def encode_step(
    c: StepInput, session: SessionInfo, step: int, worker_id: int, out: pb.StepContribution,
    payloads: Optional[Payloads] = None,
) -> None:
    """Checks ``c`` against the session and writes it into ``out``. Raises before writing anything on
    the wire: ``ShapeError``, ``NonFiniteError``, ``FisherdError`` (``INVALID_CONFIG`` for a missing
    reduction, ``UNKNOWN_BLOCK``, ``MISSING_INPUT`` when there is no gradient at all).

    With ``payloads``, the float vectors (rows, statistics) are not set on ``out`` but recorded there as
    arrays, paths from ``out`` (``wire.parts`` writes them where the message goes, ``wire.fill`` sets
    them); they may be views of the caller's arrays (float32 input), read when the message is written."""
    if c.reduction not in _REDUCTIONS:
        raise fisherd_error(
            'INVALID_CONFIG',
            f"reduction must be 'mean' or 'sum' (how the loss was reduced over the batch), got {c.reduction!r}",
            field='reduction', step=step, local=True)
    if c.loss is not None and not np.isfinite(c.loss):
        raise fisherd_error('NON_FINITE', f'loss is {c.loss}', field='loss', step=step, local=True)
    if c.loss_after_previous_update is not None:
        if not np.isfinite(c.loss_after_previous_update):
            raise fisherd_error('NON_FINITE', f'loss_after_previous_update is {c.loss_after_previous_update}',
                                field='loss_after_previous_update', step=step, local=True)
        out.loss_after_previous_update = float(c.loss_after_previous_update)

    if c.statistics is not None:
        _encode_statistics_step(c, session, step, worker_id, out, payloads)
        return
    batch_sizes = {}  # field -> the b its rows imply
    per_example = sampled = factors = None
    if c.per_example_grads is not None:
        per_example = rows_matrix(c.per_example_grads, 'per_example_grads', session.blocks, session.dim, 1, step)
        batch_sizes['per_example_grads'] = per_example.shape[0]
    if c.sampled_label_grads is not None:
        sampled = _grouped_rows(c.sampled_label_grads, c.samples_per_example, 'sampled_label_grads',
                                'samples_per_example', session, step)
        batch_sizes['sampled_label_grads'] = sampled.shape[0]
    if c.fisher_factor_rows is not None:
        factors = _grouped_rows(c.fisher_factor_rows, c.factors_per_example, 'fisher_factor_rows',
                                'factors_per_example', session, step)
        batch_sizes['fisher_factor_rows'] = factors.shape[0]
    mean_grad = vector(c.mean_grad, 'mean_grad', session.blocks, session.dim, step) if c.mean_grad is not None else None
    params = vector(c.params, 'params', session.blocks, session.dim, step) if c.params is not None else None

    if per_example is None and mean_grad is None:
        raise fisherd_error('MISSING_INPUT', 'per_example_grads or mean_grad is required: the update needs ḡ',
                            field='mean_grad', step=step, local=True)
    batch_size = c.batch_size
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise _shape_error('batch_size', f'must be an integer ≥ 1, got {batch_size!r}', step)
    source = 'batch_size'
    for field, implied in batch_sizes.items():
        if batch_size is None:
            batch_size, source = implied, field
        elif implied != batch_size:
            raise _shape_error(field, f'has rows for {implied} examples, but {source} says {batch_size}', step)
    if batch_size is None:
        raise _shape_error('batch_size', 'is required when only mean_grad is sent (the number of examples behind it)', step)
    if batch_size < 1:
        raise _shape_error('batch_size', 'must be ≥ 1 (rows for 0 examples were given)', step)

    out.step = step
    out.worker_id = worker_id
    if c.loss is not None:
        out.loss = float(c.loss)
    out.batch_size = int(batch_size)
    out.reduction = _REDUCTIONS[c.reduction]
    if per_example is not None:
        put_bytes(out, 'per_example_grads', wire_array(per_example), payloads, ())
    if sampled is not None:
        out.sampled_label_grads.samples_per_example = sampled.shape[1]
        put_bytes(out.sampled_label_grads, 'rows', wire_array(sampled), payloads, ('sampled_label_grads',))
    if factors is not None:
        out.fisher_factor_rows.factors_per_example = factors.shape[1]
        put_bytes(out.fisher_factor_rows, 'rows', wire_array(factors), payloads, ('fisher_factor_rows',))
    if mean_grad is not None:
        put_bytes(out, 'mean_grad', wire_array(mean_grad), payloads, ())
    if params is not None:
        put_bytes(out, 'params', wire_array(params), payloads, ())


def _encode_statistics_step(c: StepInput, session: SessionInfo, step: int, worker_id: int, out: pb.StepContribution,
                            payloads: Optional[Payloads]) -> None:
    rows = [name for name in ('per_example_grads', 'sampled_label_grads', 'fisher_factor_rows', 'mean_grad')
            if getattr(c, name) is not None]
    if rows:
        raise fisherd_error('INVALID_CONFIG', f'statistics cannot come with {rows[0]}: a contribution sends either rows or statistics',
                            field='statistics', step=step, local=True)
    b = c.batch_size
    if isinstance(b, bool) or not isinstance(b, (int, np.integer)) or b < 1:
        raise _shape_error('batch_size', f'must be an integer ≥ 1 with statistics, got {b!r}', step)
    out.step = step
    out.worker_id = worker_id
    if c.loss is not None:
        out.loss = float(c.loss)
    out.batch_size = int(b)
    out.reduction = _REDUCTIONS[c.reduction]  # type: ignore[index]
    encode_statistics(c.statistics, c.statistics_encoding, session.blocks, session.dim, int(b), step, out.statistics,  # type: ignore[arg-type]
                      payloads)
    if c.params is not None:
        put_bytes(out, 'params', wire_array(vector(c.params, 'params', session.blocks, session.dim, step)), payloads, ())
