"""``Preconditioner`` and ``FisherdOptimizer``: fisherd as a drop-in preconditioner of a torch training loop.
See ``fisherd_client.torch`` for the user-facing documentation."""
from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import warnings
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, Iterator, List, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import nn

from ._torch_distributed import DataParallel, place_blocks, resolve_mode
from ._torch_ekfac import EkfacState, add_squares, squares_fields
from ._torch_exact import FISHER_SOURCES, check_likelihood, column_grads
from ._torch_hooks import AffineHandler, Handler, _work_dtype, handler_for, unpack_gram
from ._torch_links import FailureCounters, _Link
from ._torch_likelihoods import Bernoulli, Categorical, Gaussian, Likelihood
from .async_client import Reconnect
from .config import Block, Kronecker, KroneckerDamping, Optimizer, SessionConfig, StructureLike, Track
from .results import Update, split_blocks
from .statistics import (
    DiagonalMoments, GradientFactors, KroneckerFactorSums, KroneckerStatistics, OutputGradFactorSum, StatisticsEncoding,
    add_factor_sums,
)
from .step_input import StepInput
from .sync_client import Client

log = logging.getLogger('fisherd_client.torch')


class MeanSquaredError(Likelihood):
    """The likelihood behind ``nn.MSELoss()`` per example: (1/d)‖f − y‖² = −log N(y; f, σ² = d/2) + const,
    d the number of outputs per example; labels are sampled from that Gaussian."""

    def _variance(self, f: torch.Tensor) -> float:
        return max(1, f[0].numel()) / 2.0

    def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return Gaussian(self._variance(f)).nll(f, y)

    def sample(self, f: torch.Tensor, k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
        return Gaussian(self._variance(f)).sample(f, k, generator)


LIKELIHOODS: Dict[str, Callable[[], Likelihood]] = {
    'cross_entropy': Categorical,
    'categorical': Categorical,
    'bce_with_logits': Bernoulli,
    'bernoulli': Bernoulli,
    'mse': MeanSquaredError,
    'gaussian': Gaussian,
}


def as_likelihood(value: Union[None, str, Likelihood]) -> Optional[Likelihood]:
    if value is None or isinstance(value, Likelihood):
        return value
    if value not in LIKELIHOODS:
        raise ValueError(f'likelihood must be one of {", ".join(LIKELIHOODS)} or a Likelihood, got {value!r}')
    return LIKELIHOODS[value]()


def _needs(optimizer: Optimizer, track: Optional[Track]) -> Tuple[bool, bool, bool]:
    """(sum_squares, centred_squares, sampled_label_squares) that the session's estimates read."""
    t = track or Track()
    ef = optimizer.name == 'efgd' or t.empirical_fisher
    noise = optimizer.name == 'va' or (optimizer.name == 'snr' and optimizer.snr_variance != 'moments') or t.noise
    fisher = optimizer.name == 'ngd' or t.fisher
    return ef, noise, fisher


# ---- micro-batches ---------------------------------------------------------------------------------------

class _Call:
    __slots__ = ('captured', 'output', 'grad')

    def __init__(self, captured: Any, output: Optional[torch.Tensor]) -> None:
        self.captured = captured
        self.output = output  # kept until the sampled-label backward has run
        self.grad: Optional[torch.Tensor] = None


class _MicroBatch:
    """What one forward pass of the model recorded, until its backward has run and it is reduced."""

    def __init__(self, batch_size: int, factors: bool = True) -> None:
        self.batch_size = batch_size
        #: Whether the session's Kronecker blocks compute their factors (and EKFAC squares) from this
        #: micro-batch (``KroneckerSender.computes_factors`` when it was recorded).
        self.factors = factors
        self.calls: Dict[int, List[_Call]] = {}  # handler index -> calls
        # handler index -> Σ_k squares in the block's layout, of rows r̃/b_mb with ``reduction='mean'`` (b_mb this
        # micro-batch's examples; rescaled to the step's b in _reduce), of r̃ with 'sum'
        self.fisher: Dict[int, torch.Tensor] = {}
        self.kron_sampled: Dict[int, torch.Tensor] = {}  # handler index -> Σ_{n,k} ẽ ẽᵀ (per-example scale)
        self.ekfac: Dict[int, torch.Tensor] = {}  # handler index -> EKFAC eigenbasis squares of the Fisher passes
        self.samples = 0

    def complete(self) -> bool:
        return bool(self.calls) and all(c.grad is not None for calls in self.calls.values() for c in calls)

    def any_grad(self) -> bool:
        return any(c.grad is not None for calls in self.calls.values() for c in calls)


@dataclass
class _Accumulated:
    """Sums over the micro-batches of one step, per handler: one flat tensor of the block's size per field
    ('sum', 'squares', 'centred'; ``fisher`` the sampled-label squares, already at the step's scale) in
    the block's layout and the parameters' work dtype (float32, float64 for float64 models), on their
    device. The first micro-batch's products are written straight into them; they become the sent
    vectors without a copy (``shared`` once handed out: a later micro-batch then works on copies).
    ``rows``: a Kronecker block whose gradient sum goes as thin factors (``KroneckerSender``'s
    ``gradient_factors``) keeps each micro-batch's (calls, output gradients) there instead of a 'sum' field
    (references, no copy), ``rank`` their row pairs so far; past the size rule they are summed into
    'sum' and dropped."""

    count: int = 0
    fields: Dict[int, Dict[str, torch.Tensor]] = field(default_factory=dict)
    rows: Dict[int, List[Tuple[List[Any], List[Optional[torch.Tensor]]]]] = field(default_factory=dict)
    rank: Dict[int, int] = field(default_factory=dict)
    fisher: Dict[int, torch.Tensor] = field(default_factory=dict)
    samples: int = 0
    kron: Dict[int, Dict[str, Any]] = field(default_factory=dict)
    shared: bool = False


# ---- senders ---------------------------------------------------------------------------------------------

#: ``KroneckerSender(factors_from=...)``: which steps' examples a sending step's factor sums are computed from.
FactorsFrom = Literal['every_step', 'sending_step']
FACTORS_FROM: Tuple[str, ...] = ('every_step', 'sending_step')
#: ``KroneckerSender(gradient_factors=...)``: whether a block's gradient sum may go as thin factors.
GradientFactorsMode = Literal['auto', 'never']
GRADIENT_FACTORS: Tuple[str, ...] = ('auto', 'never')

@dataclass(frozen=True)
class LayerStatistics:
    """One block's statistics as a sender receives them: ``moments`` (rows as held under the
    preconditioner's reduction) and, for Linear/Conv2d blocks collected with ``kronecker=True``,
    ``factors`` (see ``Preconditioner.kronecker_factors``; for the session's Kronecker blocks the factor
    sums ``*_sum`` are their packed upper triangles, ``statistics.pack_upper``'s order, as they go on the
    wire: ``_torch_hooks.unpack_gram`` gives the matrices). ``sum_factors``: a Kronecker block's gradient
    sum as ``GradientFactors`` (L, R with Lᵀ R the sum; ``statistics.gradient_factors_sum`` gives the
    vector) when ``KroneckerSender(gradient_factors='auto')`` sends it so; ``moments.sum`` is then None."""

    block: str
    moments: DiagonalMoments
    factors: Optional[Dict[str, Any]] = None
    kronecker: bool = False  # the block is a Kronecker block of the session (moments then hold ``sum`` only)
    sum_factors: Optional[GradientFactors] = None


class DiagonalSender:
    """Sends every block's diagonal moments (``DiagonalMoments``), vectors in ``encoding``
    ('float32' default, 'float16' or 'bfloat16'). The sender interface: ``structure(handler)`` (each
    block's session structure) and ``contribution(layers, reduction, batch_size, loss)`` → ``StepInput``;
    ``KroneckerSender`` sends K-FAC factors for Linear/Conv2d blocks."""

    def __init__(self, encoding: StatisticsEncoding = 'float32') -> None:
        self.encoding = encoding

    def structure(self, handler: Handler) -> StructureLike:
        return 'diagonal'

    def contribution(self, layers: Sequence[LayerStatistics], reduction: str, batch_size: int, loss: Optional[float]) -> StepInput:
        return StepInput(reduction=reduction, batch_size=batch_size, loss=loss,  # type: ignore[arg-type]
                         statistics=[layer.moments for layer in layers], statistics_encoding=self.encoding)

    def reset(self) -> None:
        """A new session was opened (nothing carried over)."""


def kronecker_shape(handler: Handler) -> Optional[Tuple[int, int, bool]]:
    """(outputs, inputs, bias) of an affine handler whose block is exactly [weight, bias?] of the layer
    (a frozen weight, or a bias the layer has but does not train, leaves the block diagonal): nn.Linear
    (out_features, in_features), nn.Conv2d (out_channels, in_channels·k_h·k_w, the unfolded patch)."""
    if not isinstance(handler, AffineHandler):
        return None
    names = [name for name, _ in handler.params]
    if names != (['weight', 'bias'] if handler.has_bias else ['weight']):
        return None
    weight = dict(handler.params)['weight']
    return int(weight.shape[0]), int(weight[0].numel()), handler.has_bias


class KroneckerSender(DiagonalSender):
    """K-FAC over the wire: every nn.Linear and nn.Conv2d block (weight and bias) is a ``Kronecker`` block
    of the session, other layers stay diagonal blocks with their diagonal moments, in the same
    contribution (math.md, "Kronecker factors (K-FAC)", "In a session (the wire)").

    Every step each Kronecker block sends ``KroneckerStatistics``: its gradient sum Σ_n r_n (ḡ's share, as
    your reduction holds it) and, every ``factors_every`` (T_stat) steps, factor sums at math.md's
    per-example scale: A = Σ ā āᵀ (count b, or b·R over R positions of a convolution or a sequence: the
    *expand* convention), the empirical G of your backward's e (a mean-reduced loss's Σ e eᵀ times b²;
    count b) when the session tracks the empirical Fisher (efgd, ``track.empirical_fisher``), and the
    sampled G of the K sampled-label backward(s) (count b·K, with ``samples_per_example`` = K) when it
    tracks the Fisher (ngd, ``track.fisher``), or with the preconditioner's ``fisher_source='exact'`` the
    exact G of the columns of the loss Hessian's square root (count b). The first step carries factors
    (steps 1, 1+T, 1+2T, … of the session): until a block's first factors its estimate is 0. Which steps
    those are is counted by the sender: one per ``step()``, from 0 in a new session and from the loaded
    ``last_step`` after ``Preconditioner.load_state_dict`` (so a resumed run sends on the steps the
    uninterrupted one would). ``factors_from`` says what the sums of a sending step hold. Factors travel
    as packed upper triangles in ``encoding`` ('float32', 'float16', 'bfloat16'). The gradient sum goes
    as thin factors when that is fewer values (``gradient_factors``).

    Args:
        encoding: the float encoding of every vector (default 'float32').
        factors_every: T_stat ≥ 1 (default 1: factors every step).
        factors_from: which steps' examples the factors of a sending step are computed from (the same with
            ``factors_every=1``):

            * ``'every_step'`` (default): every step's since the last send: the hooks compute the factor
              products (and, for the Fisher, run the sampled-label backward) every step and the sender
              adds them up (sums and counts) until they are sent; the daemon's factors then estimate A and
              G over all the examples seen, T_stat times as many as one step's, at the cost of the
              factors every step.
            * ``'sending_step'``: the sending step's alone (kfac-pytorch's ``factor_update_steps``): on
              the other steps the hooks compute no factor products, no EKFAC squares, and skip the
              sampled-label (or exact-column) backward when nothing else of the session reads it, so
              those steps cost about a first-order step (forward, backward, the gradient sums). The
              backward still runs every step where the session's diagonal blocks (normalizations,
              embeddings, layers with a frozen weight or bias) need the sampled-label squares of their
              Fisher (ngd, ``track.fisher``), then to their layers only, or with the preconditioner's
              ``kronecker=True`` (which keeps every step's factors for inspection; the sender sends
              only a sending step's). Each factor update then rests on one step's examples (b, or the
              micro-batches of that step): a noisier estimate, smoothed by the daemon's EMA
              (``ema_decay``). With ``fisher='manual'`` ``sample_fisher`` is then a no-op on the steps
              that do not need it.
        damping: 'tikhonov' (default, (Ḡ⊗Ā + λI)⁻¹) or 'pi' (π-damping).
        refresh_every: T_inv ≥ 1, the daemon refreshes the factors' eigendecompositions every this many
            factor updates (default 1).
        eigenvalue_corrected: EKFAC (George et al. 2018; default False): the blocks divide by the second
            moment s of the gradients in the Kronecker eigenbasis instead of λ_G λ_A. The preconditioner
            fetches each block's basis from the daemon whenever ``layer.<block>.basisVersion`` changes
            and sends the gradient rows' squares in it with the factors (``_torch_ekfac``): ngd's
            sampled-label (or exact) rows, efgd's data-label rows; computed on the same steps as the
            factors (``factors_from``). Needs ``damping='tikhonov'`` and
            ``refresh_every`` ≥ 2 (the squares of a step that refreshes the basis are of the old one and
            dropped, so with 1 nothing would differ from K-FAC); not with ``data_parallel='allreduce'``.
        gradient_factors: how a block's gradient sum Σ_j e_j ā_jᵀ (out × in') travels:

            * ``'auto'`` (default): as the thin factors L (r × out, the output gradients e_j as your
              backward held them) and R (r × in', the inputs ā_j = [a_j; 1]) whose Lᵀ R it is
              (``statistics.GradientFactors``) whenever that is fewer values, r·(out + in') < out·in',
              and as the dense sum otherwise; decided per block and step. r is the step's row pairs:
              b for a Linear on (b, in) inputs, b·R over R positions of a sequence or a convolution (a
              small CNN's convolutions stay dense), and with several backward passes per step (micro-
              batches) their rows one after the other (the rank grows; past the rule the step's sum goes
              dense). Fewer bytes up (in ``encoding``, like the dense sum), and the daemon's solve
              multiplies by the thin factors instead of the out×in' matrix (much cheaper per step); the
              update is the same to float rounding. The hooks keep each step's layer inputs and output
              gradients (references to what the layer and its backward hold) until the step is sent, also
              on the steps between factor updates. With ``data_parallel='allreduce'`` the sum is dense
              (the ranks all-reduce sums, and factors do not add); with ``'workers'`` each worker sends
              its own factors.
            * ``'never'``: always the dense sum (out·in' values).
    """

    def __init__(self, encoding: StatisticsEncoding = 'float32', *, factors_every: int = 1,
                 factors_from: FactorsFrom = 'every_step', damping: KroneckerDamping = 'tikhonov', refresh_every: int = 1,
                 eigenvalue_corrected: bool = False, gradient_factors: GradientFactorsMode = 'auto') -> None:
        super().__init__(encoding)
        if gradient_factors not in GRADIENT_FACTORS:
            raise ValueError(f"gradient_factors must be 'auto' or 'never', got {gradient_factors!r}")
        if isinstance(factors_every, bool) or not isinstance(factors_every, int) or factors_every < 1:
            raise ValueError(f'factors_every must be an integer ≥ 1, got {factors_every!r}')
        if factors_from not in FACTORS_FROM:
            raise ValueError(f"factors_from must be 'every_step' or 'sending_step', got {factors_from!r}")
        if eigenvalue_corrected and damping != 'tikhonov':
            raise ValueError(f"eigenvalue_corrected=True takes damping='tikhonov' only (s + λ replaces the damped eigenvalues), got {damping!r}")
        if eigenvalue_corrected and (isinstance(refresh_every, bool) or not isinstance(refresh_every, int) or refresh_every < 2):
            raise ValueError(f'eigenvalue_corrected=True needs refresh_every ≥ 2, got {refresh_every!r}: every factor update '
                             'that refreshes the eigenbasis drops the squares of the old one, so with 1 EKFAC would be K-FAC')
        self.factors_every = factors_every
        self.factors_from = factors_from
        self.damping = damping
        self.refresh_every = refresh_every
        self.eigenvalue_corrected = eigenvalue_corrected
        self.gradient_factors = gradient_factors
        #: EKFAC's eigenbases and hooks (``eigenvalue_corrected``), bound by the preconditioner.
        self.ekfac: Optional[EkfacState] = EkfacState(refresh_every) if eigenvalue_corrected else None
        self._steps = 0
        self._carried: Dict[str, KroneckerFactorSums] = {}

    def structure(self, handler: Handler) -> StructureLike:
        shape = kronecker_shape(handler)
        if shape is None:
            return 'diagonal'
        outputs, inputs, bias = shape
        return Kronecker(outputs, inputs, bias, damping=self.damping, refresh_every=self.refresh_every,
                         eigenvalue_corrected=self.eigenvalue_corrected)

    def reset(self) -> None:
        self._steps, self._carried = 0, {}
        if self.ekfac is not None:
            self.ekfac.reset()

    @property
    def steps(self) -> int:
        """The steps contributed so far in this session (from ``sync``'s ``last_step`` after a load)."""
        return self._steps

    def sync(self, last_step: int) -> None:
        """The session was loaded at ``last_step`` (``Preconditioner.load_state_dict``): the next
        contribution is step ``last_step + 1`` of the schedule; sums carried for another step count dropped."""
        if last_step != self._steps:
            self._steps, self._carried = int(last_step), {}

    def factors_pay(self, outputs: int, order: int, rank: int) -> bool:
        """Whether a block's gradient sum of ``rank`` row pairs goes as ``GradientFactors``
        (``gradient_factors='auto'`` and rank·(out + in') < out·in', ``order`` = in')."""
        return self.gradient_factors == 'auto' and rank * (outputs + order) < outputs * order

    def sends_factors(self) -> bool:
        """Whether the next contribution carries factors (steps 1, 1 + T, 1 + 2T, …)."""
        return self._steps % self.factors_every == 0

    def computes_factors(self) -> bool:
        """Whether the hooks compute the Kronecker blocks' factors (and EKFAC squares) for the next
        contribution: every step with ``factors_from='every_step'``, only a sending step's with
        ``'sending_step'``."""
        return self.factors_from == 'every_step' or self.sends_factors()

    @staticmethod
    def _step_sums(f: Dict[str, Any]) -> KroneckerFactorSums:
        out = KroneckerFactorSums(input_sum=f['input_sum'], input_count=f['input_count'])
        if 'output_grad_sum' in f:
            out.empirical = OutputGradFactorSum(f['output_grad_sum'], f['output_grad_count'])
        if 'sampled_grad_sum' in f:
            out.sampled = OutputGradFactorSum(f['sampled_grad_sum'], f['sampled_grad_count'])
            out.samples_per_example = f['samples_per_example']
        if 'exact_grad_sum' in f:  # fisher_source='exact'
            out.exact = OutputGradFactorSum(f['exact_grad_sum'], f['exact_grad_count'])
        squares_fields(f, out)  # EKFAC
        return out

    def contribution(self, layers: Sequence[LayerStatistics], reduction: str, batch_size: int, loss: Optional[float]) -> StepInput:
        due = self.sends_factors()
        self._steps += 1
        carry = self.factors_from == 'every_step'
        statistics: List[Any] = []
        for layer in layers:
            if not layer.kronecker:
                statistics.append(layer.moments)
                continue
            entry = KroneckerStatistics(count=batch_size, sum=layer.moments.sum, block=layer.block, sum_factors=layer.sum_factors)
            if carry:
                if layer.factors is not None:
                    sums = self._step_sums(layer.factors)
                    carried = self._carried.get(layer.block)
                    self._carried[layer.block] = sums if carried is None else add_squares(carried, sums, add_factor_sums(carried, sums))
                if due and layer.block in self._carried:
                    entry.factors = self._carried.pop(layer.block)
            elif layer.factors is not None and due:  # 'sending_step': this step's factors alone
                entry.factors = self._step_sums(layer.factors)
            statistics.append(entry)
        return StepInput(reduction=reduction, batch_size=batch_size, loss=loss,  # type: ignore[arg-type]
                         statistics=statistics, statistics_encoding=self.encoding)


# ---- the preconditioner ----------------------------------------------------------------------------------

class Preconditioner:
    """See ``fisherd_client.torch`` (module documentation) for the whole contract.

    ``fisher_source``: ``'sampled'`` (default: the Monte-Carlo Fisher from ``samples`` = K labels drawn
    from the model per example) or ``'exact'`` (the exact "type-2" Fisher Σ_n J_nᵀH_nJ_n, the GGN: the
    C columns of a square root of the loss Hessian with respect to the model's outputs backpropagated,
    C backward passes; ``_torch_exact``). ``'exact'`` takes the likelihoods 'cross_entropy' ((b, C)
    logits), 'bce_with_logits', 'mse' and 'gaussian' with at most ``MAX_EXACT_OUTPUTS`` (64) outputs per
    example and ``samples=1``, and opens the session with ``fisher_source='exact'``; anything else raises
    ``ValueError`` (a too large output at the first recorded forward pass)."""

    def __init__(
        self,
        model: nn.Module,
        client_or_url: Union[str, Client, Sequence[str]],
        *,
        optimizer: Optional[Optimizer] = None,
        likelihood: Union[None, str, Likelihood] = None,
        samples: int = 1,
        fisher: str = 'auto',
        fisher_source: str = 'sampled',
        output_fn: Optional[Callable[[Any], torch.Tensor]] = None,
        reduction: str = 'mean',
        ema_decay: Optional[float] = None,
        track: Optional[Track] = None,
        session_id: Union[None, str, Sequence[str]] = None,
        sender: Optional[DiagonalSender] = None,
        kronecker: bool = False,
        precision: Optional[str] = None,
        record_eval: bool = False,
        strict: bool = False,
        reconnect: Union[bool, Reconnect] = True,
        shared_memory: Union[bool, str] = True,
        connect_options: Optional[Dict[str, Any]] = None,
        generator: Optional[torch.Generator] = None,
        dataset_size: Optional[int] = None,
        data_parallel: str = 'auto',
        process_group: Any = None,
    ) -> None:
        if reduction not in ('mean', 'sum'):
            raise ValueError(f"reduction must be 'mean' or 'sum' (how your loss reduces over the batch), got {reduction!r}")
        if fisher not in ('auto', 'manual', 'off'):
            raise ValueError(f"fisher must be 'auto', 'manual' or 'off', got {fisher!r}")
        if samples < 1:
            raise ValueError(f'samples must be ≥ 1, got {samples}')
        if fisher_source not in FISHER_SOURCES:
            raise ValueError(f"fisher_source must be 'sampled' or 'exact', got {fisher_source!r}")
        if fisher_source == 'exact' and samples != 1:
            raise ValueError(f"samples={samples} is the sampled Fisher's K; fisher_source='exact' backpropagates the C "
                             f"columns of the loss Hessian's square root instead")
        self.model = model
        self.optimizer = optimizer or Optimizer('ngd', step_size=1.0, damping=1e-2)
        self.likelihood = as_likelihood(likelihood)
        self.samples = samples
        self.fisher_mode = fisher
        self.fisher_source = fisher_source
        if fisher_source == 'exact':
            check_likelihood(self.likelihood)
        self.output_fn = output_fn
        self.reduction = reduction
        self.sender = sender or DiagonalSender()
        self.collect_kronecker = kronecker
        self.record_eval = record_eval
        self.strict = strict
        self.generator = generator
        self.counters = FailureCounters()
        self._loss_after: Optional[float] = None  # the step's loss_after_previous_update (damping adaptation)
        self.last_update: Optional[Update] = None
        #: Every daemon's own update of the last step (daemon order; None where the step fell back).
        self.last_updates: List[Optional[Update]] = []
        self._need_squares, self._need_centred, self._need_fisher = _needs(self.optimizer, track)
        if self._need_fisher and self.likelihood is None:
            raise ValueError(f"optimizer {self.optimizer.name!r} (or track.fisher) needs the Fisher: give likelihood= "
                             f"({', '.join(LIKELIHOODS)}) so that labels can be sampled from the model")
        if self._need_fisher and fisher == 'off':
            raise ValueError(f"fisher='off', but the session needs the {fisher_source} Fisher")

        self.handlers: List[Handler] = []
        self.fallback: List[Tuple[str, nn.Parameter]] = []
        self._layout(model)
        self.blocks = [Block(self._block_name(h), sum(p.numel() for _, p in h.params), self.sender.structure(h)) for h in self.handlers]
        # Kronecker blocks: gradient sums only (no per-example squares) and the factors the estimates read.
        self._kron = {i for i, b in enumerate(self.blocks) if isinstance(b.structure, Kronecker)}
        self._kron_sources = ({'empirical'} if self._need_squares else set()) | ({fisher_source} if self._need_fisher else set())
        # Blocks other than the session's Kronecker ones, whose Fisher squares need the sampled-label
        # backward every step (whatever KroneckerSender's factors_from).
        self._diagonal_fisher = self._need_fisher and any(i not in self._kron for i in range(len(self.handlers)))
        self.config = SessionConfig(dim=sum(b.size for b in self.blocks), blocks=self.blocks, optimizer=self.optimizer,
                                    ema_decay=ema_decay, track=track, dataset_size=dataset_size,
                                    precision=precision,  # type: ignore[arg-type]
                                    fisher_source='exact' if fisher_source == 'exact' else None)
        self._connect_options = dict(connect_options or {})
        self._connect_options.setdefault('reconnect', reconnect)
        self._connect_options.setdefault('shared_memory', shared_memory)
        self._ekfac: Optional[EkfacState] = getattr(self.sender, 'ekfac', None)
        if self._ekfac is not None:
            self._ekfac.bind(self, resolve_mode(data_parallel, process_group))
        self._open_links(client_or_url, session_id, data_parallel, process_group)
        # The sender's size rule for a Kronecker block's gradient sum as thin factors (KroneckerSender.factors_pay);
        # None: always dense (another sender, or ranks that all-reduce sums: factors do not add).
        pays = getattr(self.sender, 'factors_pay', None)
        self._factors_pay: Optional[Callable[[int, int, int], bool]] = (
            None if pays is None or (self._dp is not None and self._dp.mode == 'allreduce') else pays)
        self._pending: List[_MicroBatch] = []
        self._current: Optional[_MicroBatch] = None
        self._acc = _Accumulated()
        self._in_fisher = False
        self._paused = False
        self._handles = [model.register_forward_pre_hook(self._pre_forward), model.register_forward_hook(self._post_forward)]
        for index, handler in enumerate(self.handlers):
            self._handles.append(handler.module.register_forward_hook(self._module_hook(index)))

    # ---- layout --------------------------------------------------------------------------------------

    def _layout(self, model: nn.Module) -> None:
        owners: Dict[int, int] = {}
        for module in model.modules():
            for p in module.parameters(recurse=False):
                owners[id(p)] = owners.get(id(p), 0) + 1
        names = {id(p): name for name, p in model.named_parameters()}
        self._module_names = {id(m): name for name, m in model.named_modules()}
        covered = set()
        for module in model.modules():
            cls = handler_for(module)
            own = [(n, p) for n, p in module.named_parameters(recurse=False) if p.requires_grad]
            if cls is None or not own or any(owners[id(p)] > 1 for _, p in own):
                continue
            order = ['weight', 'bias']
            own.sort(key=lambda item: order.index(item[0]) if item[0] in order else 2)
            if any(n not in order for n, _ in own):
                continue
            self.handlers.append(cls(module, own))
            covered.update(id(p) for _, p in own)
        self.fallback = [(names[id(p)], p) for p in model.parameters() if p.requires_grad and id(p) not in covered]
        if not self.handlers:
            raise ValueError('the model has no trainable nn.Linear, nn.Conv2d, normalization or embedding layer for fisherd')
        if self.fallback:
            warnings.warn(
                f'fisherd: {len(self.fallback)} parameter(s) are not in a supported layer and keep your own gradient '
                f'(plain mean gradient for your optimizer, as SGD would use it): {", ".join(n for n, _ in self.fallback)}',
                stacklevel=3)

    def _block_name(self, handler: Handler) -> str:
        return self._module_names[id(handler.module)] or 'model'

    @property
    def parameters(self) -> List[nn.Parameter]:
        """The parameters fisherd preconditions, in the session's order."""
        return [p for h in self.handlers for _, p in h.params]

    @property
    def session_id(self) -> Union[None, str, List[Optional[str]]]:
        """The session's id; with several daemons the list of their sessions' ids (daemon order)."""
        ids = [state['session_id'] for state in self._states()]
        return ids[0] if len(ids) == 1 else ids

    @property
    def client(self) -> Optional[Client]:
        """The connection to the (first) daemon; None on ranks other than 0 with data_parallel='allreduce'."""
        return self._links[0].client if self._links else None

    # ---- hooks ---------------------------------------------------------------------------------------

    def _recording(self) -> bool:
        return torch.is_grad_enabled() and (self.model.training or self.record_eval) and not self._in_fisher and not self._paused

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Inside: forward passes are not recorded and backward passes (``backward``, ``autograd.grad``,
        e.g. a gradient penalty) add nothing to the statistics."""
        before, self._paused = self._paused, True
        try:
            yield
        finally:
            self._paused = before

    def _pre_forward(self, module: nn.Module, args: Tuple[Any, ...]) -> None:
        self._reduce_complete()
        if not self._recording():
            self._current = None
            return
        first = next((a for a in args if isinstance(a, torch.Tensor)), None)
        if first is None or first.dim() == 0:
            raise ValueError('fisherd: the model\'s first tensor argument must have the batch as its first axis')
        self._current = _MicroBatch(int(first.shape[0]), self._computes_factors())
        self._pending.append(self._current)

    def _computes_factors(self) -> bool:
        """Whether the next step's Kronecker blocks compute their factors (``KroneckerSender.factors_from``)."""
        computes = getattr(self.sender, 'computes_factors', None)
        return True if computes is None else bool(computes())

    def _needs_fisher_pass(self, factors: bool) -> bool:
        """Whether a step (its Kronecker blocks computing their ``factors`` or not) needs the Fisher's backward."""
        return self._need_fisher and (factors or self._diagonal_fisher or self.collect_kronecker)

    def _fisher_rows(self, batch: _MicroBatch, i: int) -> bool:
        """Whether handler i takes part in this micro-batch's Fisher backward: not a Kronecker block of the
        session on a step that computes no factors (``factors_from='sending_step'``), unless ``kronecker=True``."""
        return batch.factors or self.collect_kronecker or i not in self._kron

    def _module_hook(self, index: int) -> Callable[..., None]:
        def hook(module: nn.Module, args: Tuple[Any, ...], output: Any) -> None:
            batch = self._current
            if batch is None or not self._recording() or not isinstance(output, torch.Tensor) or not output.requires_grad:
                return
            # The output is kept for the Fisher's backward only where that backward will read it.
            call = _Call(self.handlers[index].capture(args, output), output if self._fisher_rows(batch, index) else None)
            batch.calls.setdefault(index, []).append(call)

            def grad_hook(grad: torch.Tensor) -> None:
                if self._in_fisher or self._paused:
                    return
                call.grad = grad.detach() if call.grad is None else call.grad + grad.detach()

            output.register_hook(grad_hook)
        return hook

    def _post_forward(self, module: nn.Module, args: Tuple[Any, ...], output: Any) -> None:
        batch = self._current
        if batch is None:
            return
        if self.fisher_mode == 'auto' and self._need_fisher:
            self._sample(batch, output if self.output_fn is None else self.output_fn(output), self.likelihood)  # type: ignore[arg-type]
        if self.fisher_mode != 'manual':
            self._release_outputs(batch)

    @staticmethod
    def _release_outputs(batch: _MicroBatch) -> None:
        for calls in batch.calls.values():
            for call in calls:
                call.output = None

    def sample_fisher(self, outputs: torch.Tensor, likelihood: Union[None, str, Likelihood] = None) -> None:
        """With ``fisher='manual'``: the Fisher's backward (sampled labels, or with ``fisher_source='exact'`` the
        columns of the loss Hessian's square root) for the last forward pass, from its ``outputs`` (the
        model's predictions as the likelihood reads them), before your ``loss.backward()``."""
        batch = self._current
        if batch is None:
            raise RuntimeError('sample_fisher() needs a recorded forward pass (training mode, gradients enabled) first')
        chosen = as_likelihood(likelihood) or self.likelihood
        if chosen is None:
            raise ValueError('sample_fisher() needs a likelihood (here or in the constructor)')
        self._sample(batch, outputs, chosen)
        self._release_outputs(batch)

    def _sample(self, batch: _MicroBatch, outputs: Any, likelihood: Likelihood) -> None:
        """K backward passes of Σ_n −log p(ỹ_{n,k} | f_n) (or, with ``fisher_source='exact'``, C passes of the
        columns of H_n^{1/2}) to the recorded layer outputs (not to p.grad). The squares are kept at the
        per-example scale divided, for ``reduction='mean'``, by b² of this micro-batch for sampled labels
        (rows g/b) and by b for the exact columns (factor rows u/√b): the output gradients are scaled by 1/b
        or 1/√b, with no pass over the squares."""
        if not isinstance(outputs, torch.Tensor):
            outputs = outputs[0] if isinstance(outputs, (tuple, list)) else outputs
        if not isinstance(outputs, torch.Tensor) or not outputs.requires_grad:
            raise ValueError('fisherd: the model output must be a tensor with a graph (or give output_fn=)')
        # Only the layers whose rows are read this step (``_fisher_rows``): none on a step of
        # factors_from='sending_step' that computes no factors when every block is a Kronecker block.
        keys = [(i, j) for i, calls in batch.calls.items() for j, call in enumerate(calls) if call.output is not None]
        zs = [batch.calls[i][j].output for i, j in keys]
        if not zs:
            return
        passes: Iterator[Tuple[Optional[torch.Tensor], ...]]
        if self.fisher_source == 'exact':  # the C columns of H_n^{1/2} (_torch_exact), each like one label set
            passes = column_grads(likelihood, outputs, zs)
        else:
            labels = likelihood.sample(outputs.detach(), self.samples, self.generator)
            passes = (torch.autograd.grad(likelihood.nll(outputs, labels[:, k]).sum(), zs, retain_graph=True, allow_unused=True)
                      for k in range(self.samples))
        mean = self.reduction == 'mean'
        per_row = (batch.batch_size ** -0.5 if self.fisher_source == 'exact' else 1.0 / batch.batch_size) if mean else 1.0
        self._in_fisher = True
        try:
            for grads in passes:
                per_handler: Dict[int, List[Optional[torch.Tensor]]] = {}
                for (i, j), g in zip(keys, grads):
                    per_handler.setdefault(i, [None] * len(batch.calls[i]))[j] = None if g is None else g.detach()
                for i, es in per_handler.items():
                    if all(e is None for e in es):
                        continue
                    handler = self.handlers[i]
                    if isinstance(handler, AffineHandler) and (self.collect_kronecker or i in self._kron):
                        g = handler.output_factor(es, packed=i in self._kron)
                        batch.kron_sampled[i] = batch.kron_sampled[i] + g if i in batch.kron_sampled else g
                        if self._ekfac is not None and i in self._kron and batch.factors:
                            self._ekfac.on_fisher_pass(batch, i, handler, [c.captured for c in batch.calls[i]], es)
                        if i in self._kron:
                            continue
                    if per_row != 1.0:
                        es = [None if e is None else e * per_row for e in es]
                    into = batch.fisher.get(i)
                    fresh = into is None
                    if fresh:
                        into = batch.fisher[i] = self._buffer(handler)
                    handler.write([c.captured for c in batch.calls[i]], es, {'squares': into}, accumulate=not fresh)
        finally:
            self._in_fisher = False
        # The exact G's count is b (the sum over columns is part of J_nᵀH_nJ_n): one "sample" per example.
        batch.samples = 1 if self.fisher_source == 'exact' else self.samples

    # ---- reduction -----------------------------------------------------------------------------------

    def _reduce_complete(self) -> None:
        """Reduces the recorded micro-batches whose backward has run (frees their activations)."""
        keep = []
        for batch in self._pending:
            if batch.complete():
                self._reduce(batch)
            else:
                keep.append(batch)
        self._pending = keep

    def _flush(self) -> None:
        for batch in self._pending:
            if batch.any_grad():
                self._reduce(batch)
            else:
                log.debug('fisherd: a recorded forward pass got no backward; it is not part of the step')
        self._pending = []
        self._current = None

    def _buffer(self, handler: Handler) -> torch.Tensor:
        """An uninitialized flat tensor of the block's size in the work dtype, on the parameters' device."""
        p = handler.params[0][1]
        return torch.empty(handler.size, dtype=_work_dtype(p), device=p.device)

    def _reduce(self, batch: _MicroBatch) -> None:
        acc = self._acc
        if acc.shared:  # the last statistics() handed the buffers out: add to copies
            acc.fields = {i: {f: t.clone() for f, t in fields.items()} for i, fields in acc.fields.items()}
            acc.fisher = {i: t.clone() for i, t in acc.fisher.items()}
            acc.kron = {i: {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in entry.items()} for i, entry in acc.kron.items()}
            acc.shared = False
        n_a, n_b = acc.count, batch.batch_size
        n = n_a + n_b
        for i, handler in enumerate(self.handlers):
            calls = batch.calls.get(i, [])
            have = any(c.grad is not None for c in calls)
            captured = [c.captured for c in calls]
            es = [c.grad for c in calls]
            if have and any(getattr(c, 'shape', (n_b,))[0] != n_b for c in captured):
                raise ValueError(f'fisherd: layer {self._block_name(handler)} saw a batch other than the model input\'s {n_b}')
            names = ('sum',) if i in self._kron else ('sum',) + (('squares',) if self._need_squares else ()) + (
                ('centred',) if self._need_centred else ())
            own = acc.fields.get(i)
            if own is None and self._kept_as_rows(i, handler, captured, es, have):
                pass  # the gradient sum goes as thin factors (or, past the size rule, was summed just now)
            elif own is None:  # the step's first micro-batch: written in place
                own = acc.fields[i] = {f: self._buffer(handler) for f in names}
                if have:
                    handler.write(captured, es, own)
                else:
                    for t in own.values():
                        t.zero_()
            elif 'centred' in own:
                # Chan et al.: M2 = M2_a + M2_b + n_a n_b/(n_a + n_b) (mean_a − mean_b)².
                mine = {f: self._buffer(handler) for f in names}
                if have:
                    handler.write(captured, es, mine)
                    delta = own['sum'] / n_a - mine['sum'] / n_b
                else:
                    delta = own['sum'] / n_a
                own['centred'].add_(delta * delta, alpha=n_a * n_b / n)
                if have:
                    own['centred'].add_(mine['centred'])
                    own['sum'].add_(mine['sum'])
                    if 'squares' in own:
                        own['squares'].add_(mine['squares'])
            elif have:
                handler.write(captured, es, own, accumulate=True)
            if have and isinstance(handler, AffineHandler) and (
                    self.collect_kronecker or (i in self._kron and self._kron_sources and batch.factors)):
                self._add_kronecker(i, handler, captured, es, n_b, batch)
            if self._need_fisher and i not in self._kron:
                self._add_fisher(i, batch, n_a, n_b)
        if batch.samples:
            if acc.samples and acc.samples != batch.samples:
                raise ValueError('fisherd: every micro-batch of a step must sample the same number of labels')
            acc.samples = batch.samples
        acc.count += n_b

    def _kept_as_rows(self, i: int, handler: Handler, captured: List[Any], es: List[Optional[torch.Tensor]], have: bool) -> bool:
        """Whether block i's gradient sum of this micro-batch was seen to here (the block has no 'sum' field
        yet): a Kronecker block whose step's row pairs so far pass the sender's size rule keeps the
        micro-batch's calls and gradients (references) for ``GradientFactors``; the micro-batch that goes
        past the rule sums the kept ones and its own into a new 'sum' field, dense for the rest of the step."""
        if self._factors_pay is None or i not in self._kron:
            return False
        assert isinstance(handler, AffineHandler)
        acc = self._acc
        rank = acc.rank.get(i, 0) + (handler.row_count(es) if have else 0)
        if self._factors_pay(handler.out_dim, handler.in_dim + int(handler.has_bias), rank):
            kept = acc.rows.setdefault(i, [])
            if have:
                kept.append((captured, es))
                acc.rank[i] = rank
            return True
        total = acc.fields[i] = {'sum': self._buffer(handler)}
        parts = acc.rows.pop(i, []) + ([(captured, es)] if have else [])
        acc.rank.pop(i, None)
        for k, (calls, grads) in enumerate(parts):
            handler.write(calls, grads, total, accumulate=k > 0)
        if not parts:
            total['sum'].zero_()
        return True

    def _add_fisher(self, i: int, batch: _MicroBatch, n_a: int, n_b: int) -> None:
        """Adds a micro-batch's Fisher squares; with ``reduction='mean'`` the sum stays at the scale 1/b² (sampled
        labels) or 1/b (exact columns) of the examples so far (a micro-batch holds its own 1/b_mb² or 1/b_mb),
        so the last one leaves 1/b² or 1/b."""
        acc, new = self._acc, batch.fisher.get(i) if batch.samples else None
        old = acc.fisher.get(i)
        if self.reduction == 'mean':
            n = n_a + n_b
            power = 1 if self.fisher_source == 'exact' else 2
            if old is not None:
                old.mul_((n_a / n) ** power)
            if new is not None and n_a:
                new.mul_((n_b / n) ** power)
        if old is None:
            if new is not None:
                acc.fisher[i] = new
        elif new is not None:
            old.add_(new)

    def _add_kronecker(self, i: int, handler: AffineHandler, captured: List[Any], es: List[Optional[torch.Tensor]], b: int,
                       batch: _MicroBatch) -> None:
        """Adds a micro-batch's factor sums (work dtype: the first micro-batch's products are kept as they are)."""
        entry = self._acc.kron.setdefault(i, {'A_count': 0})

        def add(key: str, value: torch.Tensor) -> None:
            if key in entry:
                entry[key].add_(value)
            else:
                entry[key] = value

        # A session's Kronecker block keeps its factor sums as packed upper triangles (what is sent; half the
        # products of the matrices, _torch_hooks.gram), other blocks (kronecker=True) as matrices.
        packed = i in self._kron
        a_sum, a_count = handler.input_factor(captured, packed=packed)
        add('A', a_sum)
        entry['A_count'] += a_count
        if self.collect_kronecker or 'empirical' in self._kron_sources:
            add('G', handler.output_factor(es, packed=packed))
            entry['G_count'] = entry.get('G_count', 0) + b
        if i in batch.kron_sampled:
            add('S', batch.kron_sampled[i])
            entry['S_count'] = entry.get('S_count', 0) + b * batch.samples
        if self._ekfac is not None and i in self._kron and batch.factors:
            self._ekfac.on_reduce(entry, batch, i, handler, captured, es, b)

    # ---- what is sent --------------------------------------------------------------------------------

    def statistics(self) -> List[LayerStatistics]:
        """The statistics the next ``step()`` sends, one entry per block (reduces what was recorded). With
        ``data_parallel='allreduce'`` those of the merged batch of all ranks: a collective, every rank
        calls it."""
        layers = self._own_statistics()
        if self._dp is not None and self._dp.mode == 'allreduce':
            layers, _, _ = self._dp.all_reduce_statistics(layers, self.reduction, self._acc.count, None)
        return layers

    def _own_statistics(self) -> List[LayerStatistics]:
        """This process's statistics (before any merge over ranks)."""
        self._flush()
        acc = self._acc
        if acc.count == 0:
            raise RuntimeError('fisherd: no backward of a recorded forward pass since the last step() '
                               '(the model must run in training mode with gradients enabled, then loss.backward())')
        if not acc.samples and self._needs_fisher_pass(self._computes_factors()):
            raise RuntimeError(f"fisherd: the session needs the {self.fisher_source} Fisher, but its backward did not run "
                               "(fisher='manual': call preconditioner.sample_fisher(outputs) before loss.backward())")
        b = acc.count
        acc.shared = True  # the vectors below are the buffers themselves
        out = []
        for i, handler in enumerate(self.handlers):
            sum_factors = None
            if i in acc.rows:  # a Kronecker block's gradient sum as thin factors (_kept_as_rows): 'sum' only
                assert isinstance(handler, AffineHandler)
                own: Dict[str, Any] = {'sum': None}
                if acc.rank.get(i):
                    sum_factors = GradientFactors(*handler.gradient_factors(acc.rows[i]))
                else:  # no gradient reached the layer this step: its sum is 0
                    own['sum'] = self._buffer(handler).zero_()
            else:
                own = acc.fields[i]
            moments = DiagonalMoments(count=b, sum=own['sum'], block=self._block_name(handler))
            if i not in self._kron:  # the gradient sum is all a Kronecker block's moments hold
                if self._need_squares:
                    moments.sum_squares = own['squares']
                if self._need_centred:
                    moments.centred_squares = own['centred'].clamp_min_(0)
                if self._need_fisher:
                    # 'mean': kept at the scale 1/b² (sampled rows g/b) or 1/b (exact factor rows u/√b) already.
                    fisher = acc.fisher.get(i)
                    if fisher is None:
                        fisher = acc.fisher[i] = self._buffer(handler).zero_()
                    if self.fisher_source == 'exact':
                        moments.factor_squares = fisher  # Σ_n Σ_c u∘u (math.md's table)
                    else:
                        moments.sampled_label_squares = fisher
                        moments.samples_per_example = acc.samples
            out.append(LayerStatistics(moments.block, moments, self._factors(i), i in self._kron, sum_factors))
        return out

    def _factors(self, i: int, matrices: bool = False) -> Optional[Dict[str, Any]]:
        """Block i's factor fields (``kronecker_factors``), the sums of a session's Kronecker block as packed
        upper triangles unless ``matrices``."""
        entry = self._acc.kron.get(i)
        if entry is None:
            return None
        b = self._acc.count
        scale = float(b * b) if self.reduction == 'mean' else 1.0
        out: Dict[str, Any] = {'input_sum': entry['A'], 'input_count': entry['A_count']}
        if 'G' in entry:
            out.update(output_grad_sum=entry['G'] * scale, output_grad_count=entry['G_count'])
        if 'S' in entry and self.fisher_source == 'exact':
            out.update(exact_grad_sum=entry['S'], exact_grad_count=entry['S_count'])
        elif 'S' in entry:
            out.update(sampled_grad_sum=entry['S'], sampled_grad_count=entry['S_count'], samples_per_example=self._acc.samples)
        if self._ekfac is not None:
            self._ekfac.factor_fields(entry, out, b, self.reduction)
        if matrices and i in self._kron:
            handler = self.handlers[i]
            assert isinstance(handler, AffineHandler)
            for key in [k for k in out if k.endswith('_sum')]:
                out[key] = unpack_gram(out[key], handler.in_dim + int(handler.has_bias) if key == 'input_sum' else handler.out_dim)
        return out

    def kronecker_factors(self) -> Dict[str, Dict[str, Any]]:
        """With ``kronecker=True``: per Linear/Conv2d block, the K-FAC sums of the step so far in math.md's
        convention (``input_sum`` = Σ ā āᵀ over examples and positions, ``input_count`` = b·R;
        ``output_grad_sum`` = Σ e eᵀ of the per-example loss (a mean-reduced loss's e times b, squared),
        ``output_grad_count`` = b; the 'expand' convention for convolutions), and when labels were sampled
        ``sampled_grad_sum`` = Σ_{n,k} ẽ ẽᵀ of the sampled-label backward(s) (per-example scale),
        ``sampled_grad_count`` = b·K, ``samples_per_example`` = K; with ``fisher_source='exact'`` instead
        ``exact_grad_sum`` = Σ_{n,c} e_{n,c} e_{n,c}ᵀ of the Hessian-square-root columns (per-example scale),
        ``exact_grad_count`` = b. With a ``KroneckerSender`` the Kronecker
        blocks hold the sources the session needs (the empirical G for efgd / track.empirical_fisher, the
        sampled G for ngd / track.fisher) without ``kronecker=True``; with
        ``KroneckerSender(eigenvalue_corrected=True)`` also, once the block has a basis, EKFAC's
        ``eigenbasis_squares`` (out·in' float64, Σ_j (Q_G G_j Q_Aᵀ)² of the rule's gradient rows at the
        per-example scale), ``eigenbasis_count`` and ``basis_version`` (``_torch_ekfac``)."""
        self._flush()
        self._acc.shared = True  # the sums below are the accumulated tensors themselves
        return {self._block_name(h): f for i, h in enumerate(self.handlers) if (f := self._factors(i, matrices=True)) is not None}

    # ---- the step ------------------------------------------------------------------------------------

    def step(self, loss: Optional[float] = None, loss_after_previous_update: Optional[float] = None) -> Optional[Update]:
        """Sends this step's statistics, receives the update Δθ and writes p.grad = −Δθ for every
        preconditioned parameter (other parameters keep their gradient). Returns the update, or None when
        the failure policy left this step to your own gradient.

        ``loss``: this step's batch loss L(θ_t) (mean over its examples; diagnostics, and damping
        adaptation). ``loss_after_previous_update``: for ``Optimizer.damping_adaptation``, the loss of the
        PREVIOUS step's batch at the parameters after the previous update, L_{B_{t−1}}(θ_{t−1} + Δ_{t−1}):
        the preconditioner cannot compute it (your optimizer applies the update); evaluate it yourself
        after ``optimizer.step()``, one forward pass under ``torch.no_grad()`` on the batch you still hold,
        and pass it with the next step."""
        layers = self._own_statistics()
        count = self._acc.count
        self._loss_after = None if loss_after_previous_update is None else float(loss_after_previous_update)
        self._acc = _Accumulated()
        if self._dp is not None and self._dp.mode == 'allreduce':
            layers, count, loss = self._dp.all_reduce_statistics(layers, self.reduction, count, loss)
        updates = self._send_all(layers, count, loss)
        if self._dp is not None and self._dp.mode == 'allreduce':
            updates = self._broadcast_updates(updates)
        self.last_updates = updates
        if self._ekfac is not None:
            self._ekfac.after_step(updates)  # fetches the eigenbases that changed
        with torch.no_grad():
            for k, update in enumerate(updates):
                if update is None:
                    continue
                for block in self._link_blocks[k]:
                    delta = torch.from_numpy(update.blocks[block.name])
                    offset = 0
                    for _, p in self._block_params[block.name]:
                        part = delta[offset:offset + p.numel()].reshape(p.shape).to(device=p.device, dtype=p.dtype)
                        offset += p.numel()
                        if p.grad is None:
                            p.grad = -part
                        elif p.grad.dtype == part.dtype and p.grad.device == part.device:
                            torch.neg(part, out=p.grad)  # one pass, no temporary
                        else:
                            p.grad.copy_(-part)
        if any(update is None for update in updates):
            return None
        self.last_update = updates[0] if len(updates) == 1 else self._joined_update(updates)  # type: ignore[arg-type]
        return self.last_update

    def zero_statistics(self) -> None:
        """Drops what was recorded since the last step (e.g. a skipped step)."""
        self._pending, self._current, self._acc = [], None, _Accumulated()

    # ---- daemons and ranks -----------------------------------------------------------------------------

    def _open_links(self, client_or_url: Union[str, Client, Sequence[str]], session_id: Union[None, str, Sequence[str]],
                    data_parallel: str, process_group: Any) -> None:
        """Places the blocks on the daemons, joins the process group's mode and opens (or resumes) a
        session per daemon."""
        mode = resolve_mode(data_parallel, process_group)
        self._dp: Optional[DataParallel] = None if mode == 'off' else DataParallel(mode, process_group)
        self.data_parallel = mode
        given: Optional[Client] = client_or_url if isinstance(client_or_url, Client) else None
        if given is not None:
            urls = [given._async.url]
        elif isinstance(client_or_url, str):
            urls = [client_or_url]
        else:
            urls = list(client_or_url)
            if not urls or not all(isinstance(u, str) for u in urls):
                raise ValueError('client_or_url must be a url, a Client, or a non-empty list of urls')
        self.urls = urls
        placement = place_blocks(self.blocks, len(urls))
        #: The daemon (index into ``urls``) of every block.
        self.placement: Dict[str, int] = {b.name: d for b, d in zip(self.blocks, placement)}
        self._block_params = {self._block_name(h): h.params for h in self.handlers}
        self._link_blocks = [[b for b in self.blocks if self.placement[b.name] == k] for k in range(len(urls))]
        workers = self._dp.world_size if mode == 'workers' else None
        if len(urls) > 1 and self.optimizer.name == 'va' and not self.optimizer.blockwise:
            raise ValueError("optimizer 'va' couples all blocks (one Sherman–Morrison over the whole vector): with "
                             "several daemons use Optimizer('va', ..., blockwise=True)")
        if len(urls) == 1 and workers is None:
            configs = [self.config]
        else:
            configs = [replace(self.config, dim=sum(b.size for b in blocks), blocks=blocks, workers=workers)
                       for blocks in self._link_blocks]
        ids: List[Optional[str]]
        if session_id is None or isinstance(session_id, str):
            ids = [session_id] * len(urls) if len(urls) == 1 else ([None] * len(urls) if session_id is None else [])
        else:
            ids = list(session_id)
        if len(ids) != len(urls):
            raise ValueError(f'session_id must list one session per daemon ({len(urls)}), got {session_id!r}')
        self._links: List[_Link] = []
        self._pool: Optional[concurrent.futures.ThreadPoolExecutor] = None
        self._remote: List[Dict[str, Any]] = []  # rank 0's link states, on the other ranks of 'allreduce'
        if self._dp is not None and self._dp.mode == 'allreduce' and self._dp.rank != 0:
            self._remote = self._dp.broadcast_object(None)
            return
        options = dict(self._connect_options)
        joined = False
        if self._dp is not None and self._dp.mode == 'workers':
            options.setdefault('worker_id', self._dp.rank)
            joined = self._dp.rank != 0
        for url, config in zip(urls, configs):
            self._links.append(_Link(url, given, config, strict=self.strict, counters=self.counters,
                                     connect_options=options, joined=joined))
        if self._dp is not None and self._dp.mode == 'workers':
            if self._dp.rank == 0:
                for link, sid in zip(self._links, ids):
                    link.open(sid)
            ids = self._dp.broadcast_object([link.session_id for link in self._links] if self._dp.rank == 0 else None)
            if self._dp.rank != 0:
                for link, sid in zip(self._links, ids):
                    link.open(sid)
            return
        for link, sid in zip(self._links, ids):
            link.open(sid)
        if self._dp is not None:
            self._dp.broadcast_object([link.state() for link in self._links])

    def _send_all(self, layers: Sequence[LayerStatistics], count: int, loss: Optional[float]) -> List[Optional[Update]]:
        """Every daemon's update for its blocks (None where the failure policy left the step to your gradient)."""
        if not self._links:
            return []
        # One contribution per step (a sender may keep state across steps, e.g. KroneckerSender's factor
        # schedule), split by block over the daemons.
        whole = self.sender.contribution(layers, self.reduction, count, loss)
        if self._loss_after is not None:
            whole = replace(whole, loss_after_previous_update=self._loss_after)
        contributions = [whole] if len(self._links) == 1 else [
            replace(whole, statistics=[s for s in (whole.statistics or []) if s.block in {b.name for b in blocks}])
            for blocks in self._link_blocks
        ]
        reopened = self.counters.new_sessions
        if len(self._links) == 1:
            updates = [self._links[0].send(contributions[0])]
        else:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(len(self._links), thread_name_prefix='fisherd-daemons')
            futures = [self._pool.submit(link.send, c) for link, c in zip(self._links, contributions)]
            updates = [f.result() for f in futures]
        if self.counters.new_sessions > reopened:
            self.sender.reset()  # a session was opened again: nothing carried over (its factors restart)
        return updates

    def _broadcast_updates(self, updates: List[Optional[Update]]) -> List[Optional[Update]]:
        """Rank 0's updates on every rank ('allreduce'): a small header object, then Δθ as one float32 tensor."""
        assert self._dp is not None
        if self._dp.rank == 0:
            header = {'states': [link.state() for link in self._links],
                      'updates': [None if u is None else (u.session_id, u.step, u.diagnostics) for u in updates]}
            # The sender's step count, so that every rank's hooks compute factors on the same steps (the
            # other ranks contribute nothing; rank 0's count restarts when a session is opened again).
            header['sender_steps'] = getattr(self.sender, 'steps', None)
        header = self._dp.broadcast_object(header if self._dp.rank == 0 else None)
        self._remote = header['states']
        if self._dp.rank != 0 and header['sender_steps'] is not None:
            self.sender.sync(header['sender_steps'])  # type: ignore[attr-defined]
        flat = torch.zeros(self.config.dim, dtype=torch.float32)
        if self._dp.rank == 0:
            for k, update in enumerate(updates):
                if update is not None:
                    for block in self._link_blocks[k]:
                        flat[self._offsets[block.name]:self._offsets[block.name] + block.size] = torch.from_numpy(update.blocks[block.name])
            flat = self._dp.broadcast_tensor(flat)
            return updates
        flat = self._dp.broadcast_tensor(flat)
        out: List[Optional[Update]] = []
        for k, head in enumerate(header['updates']):
            if head is None:
                out.append(None)
                continue
            delta = torch.cat([flat[self._offsets[b.name]:self._offsets[b.name] + b.size] for b in self._link_blocks[k]]).numpy()
            out.append(Update(head[0], head[1], delta, head[2], split_blocks(delta, tuple(self._link_blocks[k]))))
        return out

    @property
    def _offsets(self) -> Dict[str, int]:
        offsets, at = {}, 0
        for b in self.blocks:
            offsets[b.name] = at
            at += b.size
        return offsets

    def _joined_update(self, updates: Sequence[Update]) -> Update:
        """The daemons' updates as one: Δθ over all blocks in the model's order; the first daemon's session
        id, step and diagnostics (every daemon's own update is in ``last_updates``)."""
        by_block = {name: u.blocks[name] for u in updates for name in u.blocks}
        delta = np.concatenate([by_block[b.name] for b in self.blocks]).astype(np.float32, copy=False)
        first = updates[0]
        return Update(first.session_id, first.step, delta, first.diagnostics, split_blocks(delta, tuple(self.blocks)))

    def _states(self) -> List[Dict[str, Any]]:
        return [link.state() for link in self._links] if self._links else list(self._remote)

    # ---- state -----------------------------------------------------------------------------------------

    def state_dict(self) -> Dict[str, Any]:
        """The session id and the resume point (the last step whose update was received), and the url;
        with several daemons each a list in daemon order. The same on every rank."""
        states = self._states()
        if len(states) == 1:
            return dict(states[0])
        return {key: [state[key] for state in states] for key in ('session_id', 'last_step', 'url')}

    def load_state_dict(self, state: Dict[str, Any]) -> None:
        """Re-attaches to the saved session(s) (closing the current ones, kept resumable). A daemon that
        resumed at an earlier step than saved continues from there (logged, counted in resume_gaps).
        A ``KroneckerSender``'s factor schedule goes on from the saved ``last_step`` (``KroneckerSender.sync``:
        the steps that send factors are those the uninterrupted run would send them on).
        Call it on every rank (with 'allreduce', rank 0 re-attaches)."""
        self.zero_statistics()
        n = len(self.urls)
        if n == 1:
            states = [state]
        else:
            states = [{key: state[key][k] for key in ('session_id', 'last_step') if key in state} for k in range(n)]
        sync = getattr(self.sender, 'sync', None)  # KroneckerSender: its factor schedule continues from there
        if sync is not None and 'last_step' in states[0]:
            sync(int(states[0]['last_step']))
        if not self._links:
            self._remote = [dict(s, url=url) for s, url in zip(states, self.urls)]
            return
        for link, s in zip(self._links, states):
            link.load(s)

    def close(self, discard: bool = False) -> None:
        """Removes the hooks; closes the sessions (kept resumable unless ``discard``) and own connections."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        for link in self._links:
            link.close(discard)
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def __enter__(self) -> 'Preconditioner':
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FisherdOptimizer(torch.optim.Optimizer):
    """A ``torch.optim.Optimizer`` around a ``Preconditioner``: ``step()`` sends the statistics and applies
    θ ← θ + lr·Δθ (lr default 1: exactly the daemon's update; a torch LR scheduler scales it), and
    θ ← θ − lr·p.grad for parameters outside the supported layers (SGD on your gradient).
    ``state_dict()`` carries the session id and the resume point beside torch's own state."""

    def __init__(self, model: nn.Module, client_or_url: Union[str, Client, Sequence[str]], *, lr: float = 1.0, **options: Any) -> None:
        self.preconditioner = Preconditioner(model, client_or_url, **options)
        super().__init__([p for p in model.parameters() if p.requires_grad], {'lr': lr})

    @torch.no_grad()
    def step(self, closure: Optional[Callable[[], float]] = None, *,  # type: ignore[override]
             loss_after_previous_update: Optional[float] = None) -> Optional[float]:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.preconditioner.step(loss=None if loss is None else float(loss), loss_after_previous_update=loss_after_previous_update)
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-group['lr'])
        return loss

    def state_dict(self) -> Dict[str, Any]:
        state = super().state_dict()
        state['fisherd'] = self.preconditioner.state_dict()
        return state

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        state = dict(state_dict)
        fisherd = state.pop('fisherd', None)
        super().load_state_dict(state)
        if fisherd is not None:
            self.preconditioner.load_state_dict(fisherd)

    def close(self, discard: bool = False) -> None:
        self.preconditioner.close(discard)
