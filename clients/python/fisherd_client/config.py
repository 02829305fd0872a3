"""A session's configuration (proto ``SessionConfig``), as Python dataclasses, and its wire conversion.

Mirrors ``src/session/config.ts`` field by field with snake_case names. ``None`` means "unset": the daemon
then applies its default (named in each field's comment). The daemon validates the configuration and
answers ``INVALID_CONFIG`` naming the field; this module only rejects what the wire cannot hold (an
optimizer name the protocol does not know, a schedule of an unknown kind), before anything is sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional, Sequence, Tuple, Union

from . import fisherd_pb2 as pb
from .errors import fisherd_error

OptimizerName = Literal['sgd', 'ngd', 'efgd', 'snr', 'va', 'adam']
StructureKind = Literal['full', 'diagonal', 'lowrank']

#: The name of the one block of a session configured without ``blocks`` (src/session/config.ts).
DEFAULT_BLOCK_NAME = 'params'


@dataclass(frozen=True)
class Structure:
    """How a block's D_k×D_k estimate is stored and solved (math.md, "Structures").

    ``kind``: ``'full'`` (dense, Cholesky; D_k ≤ 8192), ``'diagonal'`` (elementwise) or ``'lowrank'``
    (``rank`` rows, Woodbury solve; needs damping > 0). ``rank``: the rank cap r ≥ 1, low-rank only.
    """

    kind: StructureKind = 'diagonal'
    rank: Optional[int] = None


KroneckerDamping = Literal['tikhonov', 'pi']


@dataclass(frozen=True)
class Kronecker:
    """One layer's weight (``outputs`` × ``inputs``, plus its bias when ``bias``) as Ḡ ⊗ Ā from Kronecker
    factors (K-FAC; math.md, "Kronecker factors (K-FAC)"). The block's size is ``outputs·(inputs + 1)``
    with a bias, ``outputs·inputs`` without, in torch's ``parameters_to_vector([weight, bias])`` order. A
    Kronecker block takes ``statistics.KroneckerStatistics`` only (no rows); it may sit beside diagonal
    blocks, not beside full or low-rank ones, and not with the noise (snr, va, ``track.noise``).

    Attributes:
        outputs: the weight's rows (≥ 1, at most 8192). Required.
        inputs: the weight's columns without the bias (≥ 1; for a Conv2d C_in·k_h·k_w). Required.
        bias: whether the block holds the layer's bias after its weight (default False).
        damping: how λ enters the solve: ``'tikhonov'`` (default, exactly (Ḡ⊗Ā + λI)⁻¹) or ``'pi'``
            (Martens & Grosse's π-damping, ((Ḡ + √λ/π I) ⊗ (Ā + π√λ I))⁻¹).
        eigenvalue_corrected: EKFAC (George et al. 2018; default False; tikhonov only).
        refresh_every: T_inv ≥ 1, the factors' eigendecompositions are refreshed every this many factor
            updates (default 1).
    """

    outputs: int
    inputs: int
    bias: bool = False
    damping: KroneckerDamping = 'tikhonov'
    eigenvalue_corrected: bool = False
    refresh_every: int = 1

    kind = 'kronecker'  # not a field: lets code read ``structure.kind`` of any structure

    @property
    def size(self) -> int:
        """The block's size, outputs·in' (in' = inputs + 1 with a bias)."""
        return self.outputs * (self.inputs + (1 if self.bias else 0))


StructureLike = Union[Structure, Kronecker, StructureKind]


def as_structure(value: StructureLike) -> Union[Structure, Kronecker]:
    """A ``Structure`` (or ``Kronecker``) from itself or its kind's name (``'full'``, ``'diagonal'``)."""
    return value if isinstance(value, (Structure, Kronecker)) else Structure(value)


@dataclass(frozen=True)
class Block:
    """A named parameter block (e.g. one layer's weight): ``size`` parameters with one ``structure``."""

    name: str
    size: int
    structure: StructureLike = 'diagonal'


@dataclass(frozen=True)
class Exponential:
    """``init · decay_rate^p``, ``p = (t − transition_begin)/transition_steps`` (floored when ``staircase``);
    ``init`` before ``transition_begin``; never past ``end_value`` when set (optax's exponential_decay)."""

    init: float
    decay_rate: float
    transition_steps: int
    staircase: bool = False
    transition_begin: int = 0
    end_value: Optional[float] = None


@dataclass(frozen=True)
class Cosine:
    """``init · ((1 − alpha)·½(1 + cos(π·min(t, decay_steps)/decay_steps)) + alpha)`` (alpha default 0)."""

    init: float
    decay_steps: int
    alpha: Optional[float] = None


@dataclass(frozen=True)
class Warmup:
    """Linear from ``start`` (proto ``from``, default 0) to ``then(0)`` over ``steps`` steps, then ``then``
    shifted by ``steps``."""

    steps: int
    then: 'Schedule'
    start: Optional[float] = None


@dataclass(frozen=True)
class Piecewise:
    """``init · Π { scale_k : step_k ≤ t }`` over ``boundaries`` = ``[(step_k, scale_k), ...]``."""

    init: float
    boundaries: Sequence[Tuple[int, float]] = ()


Schedule = Union[float, int, Exponential, Cosine, Warmup, Piecewise]


@dataclass(frozen=True)
class Adam:
    """Adam's hyperparameters: β₁ (default 0.9), β₂ (default 0.999), ε (default 1e-8)."""

    b1: Optional[float] = None
    b2: Optional[float] = None
    eps: Optional[float] = None


@dataclass(frozen=True)
class DampingAdaptation:
    """Levenberg–Marquardt adaptation of λ (ngd and efgd; math.md, "Damping adaptation", kfac-jax's rule).

    Every ``every`` steps ρ = (L(θ+Δ) − L(θ)) / q(Δ), q(Δ) = ḡᵀΔ + ½Δᵀ(M + λI)Δ; ρ > 3/4: λ ← ωλ,
    ρ < 1/4: λ ← λ/ω, ω = decay_factor^every; then λ is clipped to [min, max]. The daemon cannot evaluate
    the loss: each step sends ``loss`` (L(θ_t) on its batch) and the next step sends
    ``loss_after_previous_update`` (the same batch's loss at θ_t + Δ_t); a step without it skips that
    adaptation. The adapted λ replaces the damping schedule; diagnostics ``damping`` and ``rho``.

    Attributes:
        every: T ≥ 1, the adaptation interval in steps. Required.
        min: λ_min > 0. Required.
        max: λ_max ≥ λ_min, finite. Required.
        initial: λ₀ ∈ [min, max] (default: the damping schedule's value at t = 0).
        decay_factor: d ∈ (0, 1), the per-step decay (default 0.9, kfac-jax's).
        include_damping_in_model: whether q includes ½λ‖Δ‖² (default True).
    """

    every: int
    min: float
    max: float
    initial: Optional[float] = None
    decay_factor: Optional[float] = None
    include_damping_in_model: Optional[bool] = None


@dataclass(frozen=True)
class Optimizer:
    """The update rule (math.md, "Updates") and its hyperparameters (src/optim/spec.ts ``OptimizerSpec``).

    Attributes:
        name: ``'sgd'`` (−γḡ), ``'ngd'`` (−γ(F+λI)⁻¹ḡ), ``'efgd'`` (−γ(Ẽ+λI)⁻¹ḡ), ``'snr'``
            (−γ D ḡ, D_ii = ḡ_i²/(ḡ_i² + S_ii)), ``'va'`` (paper eq. 19) or ``'adam'``. Required.
        step_size: γ > 0, a number or a schedule. Required.
        damping: λ ≥ 0 of the solves and of the cosine diagnostic (default 1e-8).
        momentum: heavy-ball μ ∈ [0, 1) (default 0).
        nesterov: Nesterov momentum (default False; needs momentum > 0).
        weight_decay: decoupled κ ≥ 0 (default 0); steps must then carry ``params``.
        snr_variance: snr only, ``'noise'`` (S from per-example gradients, default) or ``'moments'``.
        msvag_decay: snr with moments, M-SVAG's EMA decay in (0, 1) (default 0.9).
        blockwise: va only, Sherman–Morrison per block (default False).
        adam: adam only.
        damping_adaptation: ngd and efgd only, Levenberg–Marquardt adaptation of λ (default none: λ
            follows ``damping``).
    """

    name: OptimizerName
    step_size: Schedule
    damping: Optional[Schedule] = None
    momentum: Optional[float] = None
    nesterov: bool = False
    weight_decay: Optional[float] = None
    snr_variance: Optional[Literal['noise', 'moments']] = None
    msvag_decay: Optional[float] = None
    blockwise: bool = False
    adam: Optional[Adam] = None
    damping_adaptation: Optional[DampingAdaptation] = None


@dataclass(frozen=True)
class Track:
    """Estimates to keep beyond those the optimizer needs (e.g. both Fishers, for ``cosineEfFisher``)."""

    empirical_fisher: bool = False
    fisher: bool = False
    noise: bool = False


@dataclass(frozen=True)
class SessionConfig:
    """What ``open_session`` sends (proto ``SessionConfig``; src/session/config.ts).

    Attributes:
        dim: D ≥ 1, the number of parameters. Required.
        optimizer: the update rule. Required.
        blocks: named parameter blocks in parameter order, sizes summing to ``dim`` (default: one block
            ``'params'`` of all D parameters with ``structure``).
        structure: structure of the estimates when ``blocks`` is not given (default diagonal).
        ema_decay: β ∈ [0, 1), EMA decay of every running estimate, ḡ included (default 0: this batch only).
        fisher_source: ``'sampled'`` (sampled-label gradients, default) or ``'exact'`` (factor rows).
        workers: W ≥ 1 data-parallel workers per step (default 1).
        dataset_size: N, the training set's size, for diagnostics (default unknown).
        record: whether the daemon records the session as a trace (default False).
        backend: ``'auto'`` (default), ``'reference'``, ``'openblas'`` or ``'gpujs'``.
        track: extra estimates to keep (default none).
        name: a human-readable name for the run (dashboard, daemon logs, ``fisherd trace inspect``): at
            most 128 printable characters. Default: the daemon names the session ``"<client name> <UTC
            start time>"``, e.g. ``"train-logistic 2026-12-03 08:15:02"``, and returns that name in
            ``SessionInfo.config.name``.
        precision: storage precision of the estimates, ``'float32'`` or ``'float64'`` (default: the
            backend's own: float32 on openblas and gpujs, float64 on reference; math.md, "Precision").
            The daemon echoes it in ``SessionInfo.config``.
    """

    dim: int
    optimizer: Optimizer
    blocks: Optional[Sequence[Block]] = None
    structure: Optional[StructureLike] = None
    ema_decay: Optional[float] = None
    fisher_source: Optional[Literal['sampled', 'exact']] = None
    workers: Optional[int] = None
    dataset_size: Optional[int] = None
    record: bool = False
    backend: Optional[str] = None
    track: Optional[Track] = None
    name: Optional[str] = None
    precision: Optional[Literal['float32', 'float64']] = None

    def resolved_blocks(self) -> Tuple[Block, ...]:
        """The blocks in parameter order, with the default single block ``'params'`` when none are given."""
        if self.blocks:
            return tuple(Block(b.name, b.size, as_structure(b.structure)) for b in self.blocks)
        return (Block(DEFAULT_BLOCK_NAME, self.dim, as_structure(self.structure or 'diagonal')),)


# ---- to the wire -----------------------------------------------------------------------------------

_OPTIMIZER_NAMES = {
    'sgd': pb.OptimizerConfig.NAME_SGD,
    'ngd': pb.OptimizerConfig.NAME_NGD,
    'efgd': pb.OptimizerConfig.NAME_EFGD,
    'snr': pb.OptimizerConfig.NAME_SNR,
    'va': pb.OptimizerConfig.NAME_VA,
    'adam': pb.OptimizerConfig.NAME_ADAM,
}
_STRUCTURE_KINDS = {
    'full': pb.BlockStructure.KIND_FULL,
    'diagonal': pb.BlockStructure.KIND_DIAGONAL,
    'lowrank': pb.BlockStructure.KIND_LOW_RANK,
}
_SNR_VARIANCES = {'noise': pb.OptimizerConfig.SNR_VARIANCE_NOISE, 'moments': pb.OptimizerConfig.SNR_VARIANCE_MOMENTS}
_FISHER_SOURCES = {'sampled': pb.FISHER_SOURCE_SAMPLED, 'exact': pb.FISHER_SOURCE_EXACT}
_KRONECKER_DAMPINGS = {'tikhonov': pb.KRONECKER_DAMPING_TIKHONOV, 'pi': pb.KRONECKER_DAMPING_PI}
_PRECISIONS = ('float32', 'float64')


def _invalid(field_name: str, message: str) -> Exception:
    return fisherd_error('INVALID_CONFIG', f'{field_name} {message}', field=field_name, local=True)


def _lookup(table: dict, value: object, field_name: str) -> int:
    if value not in table:
        raise _invalid(field_name, f'must be one of {", ".join(map(repr, table))}, got {value!r}')
    return table[value]


def _structure_to_wire(s: StructureLike, out: pb.BlockStructure, field_name: str) -> None:
    s = as_structure(s)
    if isinstance(s, Kronecker):
        out.kind = pb.BlockStructure.KIND_KRONECKER
        out.outputs, out.inputs, out.bias = s.outputs, s.inputs, s.bias
        out.damping = _lookup(_KRONECKER_DAMPINGS, s.damping, f'{field_name}.damping')
        out.eigenvalue_corrected = s.eigenvalue_corrected
        out.refresh_every = s.refresh_every
        return
    out.kind = _lookup(_STRUCTURE_KINDS, s.kind, f'{field_name}.kind')
    if s.rank is not None:
        out.rank = s.rank


def _schedule_to_wire(s: Schedule, out: pb.Schedule, field_name: str) -> None:
    if isinstance(s, bool):
        raise _invalid(field_name, 'must be a number or a schedule, got a bool')
    if isinstance(s, (int, float)):
        out.constant = float(s)
    elif isinstance(s, Exponential):
        e = out.exponential
        e.init, e.decay_rate, e.transition_steps = s.init, s.decay_rate, s.transition_steps
        e.staircase, e.transition_begin = s.staircase, s.transition_begin
        if s.end_value is not None:
            e.end_value = s.end_value
    elif isinstance(s, Cosine):
        out.cosine.init, out.cosine.decay_steps = s.init, s.decay_steps
        if s.alpha is not None:
            out.cosine.alpha = s.alpha
    elif isinstance(s, Warmup):
        out.warmup.steps = s.steps
        _schedule_to_wire(s.then, out.warmup.then, f'{field_name}.then')
        if s.start is not None:
            setattr(out.warmup, 'from', s.start)  # `from` is a Python keyword
    elif isinstance(s, Piecewise):
        out.piecewise.init = s.init
        for step, scale in s.boundaries:
            out.piecewise.boundaries.add(step=step, scale=scale)
    else:
        raise _invalid(field_name, f'must be a number or Exponential, Cosine, Warmup, Piecewise, got {type(s).__name__}')


def _optimizer_to_wire(o: Optimizer, out: pb.OptimizerConfig) -> None:
    out.name = _lookup(_OPTIMIZER_NAMES, o.name, 'optimizer.name')
    _schedule_to_wire(o.step_size, out.step_size, 'optimizer.step_size')
    if o.damping is not None:
        _schedule_to_wire(o.damping, out.damping, 'optimizer.damping')
    if o.momentum is not None:
        out.momentum = o.momentum
    out.nesterov = o.nesterov
    if o.weight_decay is not None:
        out.weight_decay = o.weight_decay
    if o.snr_variance is not None:
        out.snr_variance = _lookup(_SNR_VARIANCES, o.snr_variance, 'optimizer.snr_variance')
    if o.msvag_decay is not None:
        out.msvag_decay = o.msvag_decay
    out.blockwise = o.blockwise
    if o.damping_adaptation is not None:
        a, w = o.damping_adaptation, out.damping_adaptation
        w.every, w.min, w.max = a.every, a.min, a.max
        if a.initial is not None:
            w.initial = a.initial
        if a.decay_factor is not None:
            w.decay_factor = a.decay_factor
        if a.include_damping_in_model is not None:
            w.include_damping_in_model = a.include_damping_in_model
    if o.adam is not None:
        out.adam.SetInParent()
        for name in ('b1', 'b2', 'eps'):
            value = getattr(o.adam, name)
            if value is not None:
                setattr(out.adam, name, value)


def config_to_wire(c: SessionConfig, out: Optional[pb.SessionConfig] = None) -> pb.SessionConfig:
    """The proto ``SessionConfig`` of ``c`` (into ``out`` when given). Raises INVALID_CONFIG for values
    the wire cannot hold."""
    out = pb.SessionConfig() if out is None else out
    out.dim = c.dim
    for i, b in enumerate(c.blocks or ()):
        wire_block = out.blocks.add(name=b.name, size=b.size)
        _structure_to_wire(b.structure, wire_block.structure, f'blocks[{i}].structure')
    if c.structure is not None:
        _structure_to_wire(c.structure, out.structure, 'structure')
    _optimizer_to_wire(c.optimizer, out.optimizer)
    if c.ema_decay is not None:
        out.ema_decay = c.ema_decay
    if c.fisher_source is not None:
        out.fisher_source = _lookup(_FISHER_SOURCES, c.fisher_source, 'fisher_source')
    out.workers = c.workers or 0
    out.dataset_size = c.dataset_size or 0
    out.record = c.record
    out.backend = c.backend or ''
    if c.track is not None:
        out.track.empirical_fisher, out.track.fisher, out.track.noise = c.track.empirical_fisher, c.track.fisher, c.track.noise
    if c.name is not None:
        if not isinstance(c.name, str):
            raise _invalid('name', f'must be a string, got {type(c.name).__name__}')
        out.name = c.name  # the daemon checks the rest (length, printable) and answers INVALID_CONFIG on 'name'
    if c.precision is not None:
        if c.precision not in _PRECISIONS:
            raise _invalid('precision', f"must be 'float32' or 'float64', got {c.precision!r}")
        out.precision = c.precision
    return out


# ---- from the wire ---------------------------------------------------------------------------------

def _reverse(table: dict) -> dict:
    return {v: k for k, v in table.items()}


_NAME_OF_OPTIMIZER = _reverse(_OPTIMIZER_NAMES)
_NAME_OF_SNR_VARIANCE = _reverse(_SNR_VARIANCES)
_NAME_OF_FISHER_SOURCE = _reverse(_FISHER_SOURCES)


_NAME_OF_KRONECKER_DAMPING = _reverse(_KRONECKER_DAMPINGS)


def _structure_from_wire(s: pb.BlockStructure) -> Union[Structure, Kronecker]:
    if s.kind == pb.BlockStructure.KIND_KRONECKER:
        return Kronecker(s.outputs, s.inputs, s.bias, _NAME_OF_KRONECKER_DAMPING.get(s.damping, 'tikhonov'),  # type: ignore[arg-type]
                         s.eigenvalue_corrected, s.refresh_every or 1)
    if s.kind == pb.BlockStructure.KIND_FULL:
        return Structure('full')
    if s.kind == pb.BlockStructure.KIND_LOW_RANK:
        return Structure('lowrank', s.rank)
    return Structure('diagonal')  # KIND_UNSPECIFIED reads as diagonal (the proto's rule)


def _schedule_from_wire(s: pb.Schedule) -> Schedule:
    kind = s.WhichOneof('kind')
    if kind == 'exponential':
        e = s.exponential
        return Exponential(e.init, e.decay_rate, e.transition_steps, e.staircase, e.transition_begin,
                           e.end_value if e.HasField('end_value') else None)
    if kind == 'cosine':
        return Cosine(s.cosine.init, s.cosine.decay_steps, s.cosine.alpha if s.cosine.HasField('alpha') else None)
    if kind == 'warmup':
        w = s.warmup
        return Warmup(w.steps, _schedule_from_wire(w.then), getattr(w, 'from') if w.HasField('from') else None)
    if kind == 'piecewise':
        return Piecewise(s.piecewise.init, tuple((b.step, b.scale) for b in s.piecewise.boundaries))
    return s.constant


def _optional(message: object, name: str) -> Optional[float]:
    return getattr(message, name) if message.HasField(name) else None  # type: ignore[attr-defined]


def config_from_wire(w: pb.SessionConfig) -> SessionConfig:
    """The ``SessionConfig`` the daemon returned in ``SessionOpened`` (its defaults filled in)."""
    o = w.optimizer
    optimizer = Optimizer(
        name=_NAME_OF_OPTIMIZER.get(o.name, 'sgd'),
        step_size=_schedule_from_wire(o.step_size),
        damping=_schedule_from_wire(o.damping) if o.HasField('damping') else None,
        momentum=_optional(o, 'momentum'),
        nesterov=o.nesterov,
        weight_decay=_optional(o, 'weight_decay'),
        snr_variance=_NAME_OF_SNR_VARIANCE.get(o.snr_variance),
        msvag_decay=_optional(o, 'msvag_decay'),
        blockwise=o.blockwise,
        adam=Adam(_optional(o.adam, 'b1'), _optional(o.adam, 'b2'), _optional(o.adam, 'eps')) if o.HasField('adam') else None,
        damping_adaptation=_damping_adaptation_from_wire(o.damping_adaptation) if o.HasField('damping_adaptation') else None,
    )
    blocks = tuple(Block(b.name, b.size, _structure_from_wire(b.structure)) for b in w.blocks)
    return SessionConfig(
        dim=w.dim,
        optimizer=optimizer,
        blocks=blocks or None,
        structure=_structure_from_wire(w.structure) if w.HasField('structure') else None,
        ema_decay=_optional(w, 'ema_decay'),
        fisher_source=_NAME_OF_FISHER_SOURCE.get(w.fisher_source),
        workers=w.workers or None,
        dataset_size=w.dataset_size or None,
        record=w.record,
        backend=w.backend or None,
        track=Track(w.track.empirical_fisher, w.track.fisher, w.track.noise) if w.HasField('track') else None,
        name=w.name or None,
        precision=w.precision or None,  # type: ignore[arg-type]
    )


def _damping_adaptation_from_wire(a: pb.DampingAdaptation) -> DampingAdaptation:
    return DampingAdaptation(a.every, a.min, a.max, _optional(a, 'initial'), _optional(a, 'decay_factor'),
                             _optional(a, 'include_damping_in_model'))  # type: ignore[arg-type]
