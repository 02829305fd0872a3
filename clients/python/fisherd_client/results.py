"""What the daemon sends back, as Python values: session info, updates with diagnostics, estimates, errors.

Mirrors src/protocol/step-codec.ts ``UpdateData`` and src/protocol/estimates-codec.ts ``EstimatesData``.
Δθ arrives as D little-endian float32 and becomes a writable ``np.float32`` array; the estimates'
diagonals and ḡ arrive as float64 (so that resumed sessions compare bit for bit) and stay float64.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

import numpy as np

from . import fisherd_pb2 as pb
from .config import Block, SessionConfig, config_from_wire
from .errors import FisherdError, fisherd_error
from .payloads import read_float32, read_float64


_ERROR_NAMES = {value: name[len('ERROR_CODE_'):] for name, value in pb.ErrorCode.items()}


def error_from_wire(e: pb.Error) -> FisherdError:
    """The typed error an ``Error`` frame describes (unknown codes from a newer daemon read as INTERNAL)."""
    return fisherd_error(
        _ERROR_NAMES.get(e.code, 'INTERNAL'), e.message,
        field=e.field or None, step=e.step if e.HasField('step') else None,
    )


@dataclass(frozen=True)
class ServerInfo:
    """The daemon's ``Welcome``: protocol version, fisherd version, compute backend and shared-memory
    directory (empty when the daemon has shared memory off)."""

    protocol_version: int
    server_version: str
    backend: str
    shared_memory_dir: str = ''


@dataclass(frozen=True)
class SessionInfo:
    """The session a client is attached to.

    Attributes:
        session_id: the id to resume the session with.
        resumed_step: the last step the session had applied when this client attached (0 for a new one).
        config: the session's configuration as the daemon normalized it.
        blocks: the parameter blocks in order (one block ``'params'`` when the config gave none).
    """

    session_id: str
    resumed_step: int
    config: SessionConfig
    blocks: Tuple[Block, ...]

    @property
    def dim(self) -> int:
        """D, the number of parameters."""
        return self.config.dim


@dataclass(frozen=True)
class Diagnostics:
    """Diagnostics of one update (proto ``Diagnostics``).

    Attributes:
        loss: sample-weighted mean of the workers' losses, when they sent them.
        batch_size: b, the examples in the merged minibatch.
        update_norm: ‖Δθ‖₂.
        compute_seconds: seconds the daemon spent computing the update.
        values: further named scalars from the optimizer: ``gradNorm``, ``stepSize``, ``damping``,
            ``cosineEfFisher``, ``meanSnr`` (which ones a session gets: docs/dashboard.md, "Diagnostics").
    """

    loss: Optional[float]
    batch_size: int
    update_norm: float
    compute_seconds: float
    values: Dict[str, float] = field(default_factory=dict)

    def as_dict(self, prefix: str = '') -> Dict[str, float]:
        """Every scalar of this step as one flat ``{name: float}`` dict, ready for a metrics logger.

        Keys: ``loss`` (only when the workers sent a loss), ``batch_size``, ``update_norm``,
        ``compute_seconds``, then the ``values`` by their own names (``gradNorm``, ``stepSize``, ...),
        each with ``prefix`` in front (e.g. ``'fisherd/'`` for a TensorBoard section). The names are the
        column names of ``fisherd trace export --csv``.
        """
        out: Dict[str, float] = {}
        if self.loss is not None:
            out[prefix + 'loss'] = float(self.loss)
        out[prefix + 'batch_size'] = float(self.batch_size)
        out[prefix + 'update_norm'] = float(self.update_norm)
        out[prefix + 'compute_seconds'] = float(self.compute_seconds)
        for name, value in self.values.items():
            out[prefix + name] = float(value)
        return out


@dataclass(frozen=True)
class Update:
    """One step's update: apply it as θ ← θ + Δθ.

    Attributes:
        session_id: the session.
        step: the step this update completes.
        delta: Δθ, D float32.
        diagnostics: the step's diagnostics.
        blocks: Δθ split by parameter block (views into ``delta``), in the session's block order.
    """

    session_id: str
    step: int
    delta: np.ndarray
    diagnostics: Diagnostics
    blocks: Mapping[str, np.ndarray]

    @property
    def metrics(self) -> Dict[str, float]:
        """This step's diagnostics as a flat ``{name: float}`` dict (``diagnostics.as_dict()``)."""
        return self.diagnostics.as_dict()


def split_blocks(vector: np.ndarray, blocks: Tuple[Block, ...]) -> Dict[str, np.ndarray]:
    """Views into ``vector``, one per block, in block order."""
    out: Dict[str, np.ndarray] = {}
    offset = 0
    for block in blocks:
        out[block.name] = vector[offset:offset + block.size]
        offset += block.size
    return out


def session_from_wire(opened: pb.SessionOpened) -> SessionInfo:
    config = config_from_wire(opened.config)
    return SessionInfo(opened.session_id, opened.resumed_step, config, config.resolved_blocks())


def update_from_wire(w: pb.Update, session: SessionInfo, delta: Optional[np.ndarray] = None) -> Update:
    """The update of ``w``; ``delta``: its Δθ when read apart from the message (``wire.split_update``,
    then ``w.delta`` is empty), a float32 array that becomes the update's own."""
    if delta is None:
        delta = read_float32(w.delta, 'update.delta', session.dim)
    elif delta.dtype != np.float32 or delta.ndim != 1 or delta.size != session.dim:
        raise fisherd_error('SHAPE_MISMATCH', f'update.delta has {delta.nbytes} bytes, expected {4 * session.dim} '
                            f'({session.dim} float32)', field='update.delta')
    d = w.diagnostics
    diagnostics = Diagnostics(
        loss=d.loss if d.HasField('loss') else None,
        batch_size=d.batch_size,
        update_norm=d.update_norm,
        compute_seconds=d.compute_seconds,
        values=dict(d.values),
    )
    return Update(w.session_id, w.step, delta, diagnostics, split_blocks(delta, session.blocks))


@dataclass(frozen=True)
class Estimate:
    """One running estimate (bias-corrected).

    Attributes:
        kind: ``'empirical_fisher'`` (Ẽ), ``'fisher'`` (F) or ``'noise'`` (S = C/b).
        diagonal: D float64 (only when asked for with ``include_diagonals``).
        top_eigenvalues: the largest eigenvalues, descending.
        trace: the trace.
    """

    kind: str
    diagonal: Optional[np.ndarray]
    top_eigenvalues: List[float]
    trace: float


@dataclass(frozen=True)
class Estimates:
    """A session's current estimates (proto ``Estimates``).

    Attributes:
        session_id: the session.
        step: the last completed step the estimates include.
        estimates: one entry per tracked estimate, by kind (``'empirical_fisher'``, ``'fisher'``, ``'noise'``).
        mean_grad: the bias-corrected running ḡ, D float64 (only with ``include_diagonals``).
        cosine_ef_fisher: cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked.
    """

    session_id: str
    step: int
    estimates: Dict[str, Estimate]
    mean_grad: Optional[np.ndarray]
    cosine_ef_fisher: Optional[float]


_ESTIMATE_KINDS = {
    pb.Estimate.KIND_EMPIRICAL_FISHER: 'empirical_fisher',
    pb.Estimate.KIND_FISHER: 'fisher',
    pb.Estimate.KIND_NOISE: 'noise',
}


def estimates_from_wire(w: pb.Estimates, dim: int) -> Estimates:
    out: Dict[str, Estimate] = {}
    for e in w.estimates:
        kind = _ESTIMATE_KINDS.get(e.kind)
        if kind is None:
            raise fisherd_error('INTERNAL', f'the daemon sent an estimate of unknown kind {e.kind}', field='estimates.kind')
        diagonal = read_float64(e.diagonal, f'estimates.{kind}.diagonal', dim) if e.diagonal else None
        out[kind] = Estimate(kind, diagonal, list(e.top_eigenvalues), e.trace)
    return Estimates(
        session_id=w.session_id,
        step=w.step,
        estimates=out,
        mean_grad=read_float64(w.mean_grad, 'estimates.mean_grad', dim) if w.mean_grad else None,
        cosine_ef_fisher=w.cosine_ef_fisher if w.HasField('cosine_ef_fisher') else None,
    )


@dataclass(frozen=True)
class KroneckerBasis:
    """A Kronecker block's installed eigendecompositions in one tracked Fisher (proto ``KroneckerBasis``):
    Ā = V_A diag(λ_A) V_Aᵀ and Ḡ = V_G diag(λ_G) V_Gᵀ of the bias-corrected factors at the block's last
    refresh, as its solves use them (docs/math.md, "Kronecker factors (K-FAC)"). EKFAC's client projects
    its gradients on it (``statistics.KroneckerFactorSums.eigenbasis_squares`` with ``basis_version`` =
    ``version``).

    Attributes:
        kind: ``'empirical_fisher'`` or ``'fisher'`` (sampled-label or exact).
        block: the block's name.
        version: the decomposition's version (the update diagnostic ``layer.<block>.basisVersion``); 0 before
            the first factor update, when the values and vectors are empty.
        outputs: out, the weight's rows.
        input_order: in' (the weight's columns, + 1 with a bias).
        output_values: λ_G, out float64, descending, clamped at 0.
        input_values: λ_A, in' float64, likewise.
        output_vectors: (out, out) float32, the eigenvectors as rows (row j belongs to ``output_values[j]``;
            the rows of V_Gᵀ); (0, out) for version 0.
        input_vectors: (in', in') float32 likewise (the rows of V_Aᵀ).
    """

    kind: str
    block: str
    version: int
    outputs: int
    input_order: int
    output_values: np.ndarray
    input_values: np.ndarray
    output_vectors: np.ndarray
    input_vectors: np.ndarray


def kronecker_bases_from_wire(w: pb.Estimates) -> List[KroneckerBasis]:
    """The ``kronecker_bases`` of an ``Estimates`` reply (empty when none were asked for)."""
    out: List[KroneckerBasis] = []
    for b in w.kronecker_bases:
        kind = _ESTIMATE_KINDS.get(b.kind)
        if kind not in ('empirical_fisher', 'fisher'):
            raise fisherd_error('INTERNAL', f'the daemon sent a Kronecker basis of estimate kind {b.kind}', field='estimates.kronecker_bases.kind')
        at = f'estimates.kronecker_bases.{kind}'
        n_out, n_in = (b.outputs, b.input_order) if b.version > 0 else (0, 0)
        out.append(KroneckerBasis(
            kind=kind, block=b.block, version=b.version, outputs=b.outputs, input_order=b.input_order,
            output_values=read_float64(b.output_values, f'{at}.output_values', n_out),
            input_values=read_float64(b.input_values, f'{at}.input_values', n_in),
            output_vectors=read_float32(b.output_vectors, f'{at}.output_vectors', n_out * n_out).reshape(n_out, b.outputs),
            input_vectors=read_float32(b.input_vectors, f'{at}.input_vectors', n_in * n_in).reshape(n_in, b.input_order),
        ))
    return out


def kronecker_basis_bytes(outputs: int, input_order: int) -> int:
    """The bytes one ``KroneckerBasis`` of these orders takes on the wire (values float64, vectors float32)."""
    return 8 * (outputs + input_order) + 4 * (outputs * outputs + input_order * input_order)


def join_estimate_ranges(parts: List[Estimates]) -> Estimates:
    """The estimates of consecutive coordinate ranges (one step) as one: diagonals and ḡ concatenated."""
    first = parts[0]
    joined: Dict[str, Estimate] = {}
    for kind, e in first.estimates.items():
        diagonal = np.concatenate([p.estimates[kind].diagonal for p in parts])
        joined[kind] = Estimate(kind, diagonal, e.top_eigenvalues, e.trace)
    mean_grad = np.concatenate([p.mean_grad for p in parts])
    return Estimates(first.session_id, first.step, joined, mean_grad, first.cosine_ef_fisher)
