"""PyTorch helpers: a model's parameters as fisherd blocks, the gradients fisherd needs, updates applied back.

    from fisherd_client.torch import Categorical, ParameterBlocks, gradients

    params = ParameterBlocks(model)                       # one block per parameter tensor
    client.open_session(SessionConfig(dim=params.dim, blocks=params.blocks('full'), optimizer=...))
    for x, y in batches:
        update = client.step(gradients(model, Categorical(), x, y, samples_per_example=1))
        params.apply(update)                              # θ ← θ + Δθ

Scaling (math.md): every row is a gradient of the per-example loss ℓ_n = −log p(y_n | f(x_n, θ)) with
the likelihood's own normalization (``Gaussian`` is ‖f − y‖²/(2σ²), not MSE), and contributions are sent
with ``reduction='sum'``: per-example rows g_n = ∇ℓ_n, sampled-label rows g̃_{n,k} = ∇[−log p(ỹ_{n,k} | f_n)]
with ỹ_{n,k} ~ p(· | f_n), and, without per-example rows, ``mean_grad`` = Σ_n g_n. The daemon then forms
ḡ = (1/b) Σ g_n, Ẽ = (1/b) Σ g_n g_nᵀ and F̂ = (1/(bK)) Σ g̃ g̃ᵀ.

This module imports torch; ``fisherd_client`` itself does not, so the client works without it.

**Preconditioner (two lines in your own loop)**: statistics from layer hooks, on the model's device, no
per-example gradient tensors; your loss, optimizer and scheduler stay yours::

    preconditioner = Preconditioner(model, 'ws://127.0.0.1:7070', likelihood='cross_entropy')
    for x, y in batches:
        optimizer.zero_grad()
        loss = criterion(model(x), y)          # any loss, reduction='mean' (say reduction='sum' otherwise)
        loss.backward()
        preconditioner.step()                  # p.grad ← −Δθ (the daemon's update)
        optimizer.step(); scheduler.step()

What is collected (``_torch_hooks``): per nn.Linear / nn.Conv2d / BatchNorm / LayerNorm / GroupNorm /
nn.Embedding block the diagonal moments Σ r_n, Σ r_n∘r_n, the two-pass centred Σ (r_n − r̄)² (only for
sessions tracking the noise: snr, va) and, for the Fisher, Σ_{n,k} r̃∘r̃ from one extra backward per
sampled label set (``samples`` = K) with labels drawn from the model's predictive distribution
(``likelihood``: 'cross_entropy', 'bce_with_logits', 'mse' (the likelihood behind ``nn.MSELoss``,
σ² = d/2), 'gaussian' (σ² = 1), or a ``Likelihood``). With ``fisher='auto'`` the sampled backward runs
right after the model's forward (its output, or ``output_fn(output)``, are the likelihood's natural
parameters); with ``fisher='manual'`` call ``preconditioner.sample_fisher(outputs)`` before
``loss.backward()``. The sampled backward differentiates with respect to the layer outputs only: it never
touches p.grad. ``fisher_source='exact'`` (``_torch_exact``; small outputs, at most 64 per example) sends
the exact ("type-2") Fisher Σ_n J_nᵀH_nJ_n instead: the C columns of a square root of the loss Hessian
with respect to the outputs (cross-entropy diag(√π) − π√πᵀ, binary cross-entropy √(π(1−π)), Gaussian
I/σ) are backpropagated in C passes, diagonal blocks get ``factor_squares`` (Σ_n Σ_c u∘u, /b for
'mean'), Kronecker blocks the ``exact`` G (count b), and the session is opened with
``fisher_source='exact'``; other likelihoods and larger outputs raise ``ValueError``. Parameters outside those layers keep your gradient (one warning lists them). ``kronecker=True``
also keeps the K-FAC factors A = Σ ā āᵀ and G = Σ e eᵀ (``kronecker_factors()``) for inspection; the
``sender`` is pluggable: ``DiagonalSender`` (default) or ``KroneckerSender`` (K-FAC: every nn.Linear and
nn.Conv2d a ``Kronecker`` block fed its gradient sum every step and its factor sums every
``factors_every`` steps, the empirical G from your backward and the sampled G from the sampled-label
backward, summed over the steps since the last send or, with ``factors_from='sending_step'``, of the
sending step alone (the steps between then compute no factors and skip the sampled-label backward that
only the factors read), the gradient sum as the thin factors L, R with Lᵀ R = Σ e āᵀ when those are fewer
values (``gradient_factors='auto'``, the default: r·(out + in') < out·in' for r row pairs, e.g. a wide
Linear on a small batch), the other layers diagonal blocks in the same contribution; ``eigenvalue_corrected=True`` with
``refresh_every`` ≥ 2 makes them EKFAC blocks, whose eigenbasis squares the hooks compute on the model's
device in the basis fetched from the daemon after each refresh, ``_torch_ekfac``)::

    preconditioner = Preconditioner(model, url, likelihood='cross_entropy', sender=KroneckerSender(factors_every=2))
    ...
    preconditioner.step(loss=loss.item(), loss_after_previous_update=after)   # damping adaptation: you
    # evaluate `after`, the previous batch's loss at the updated parameters, after optimizer.step()

``step()`` writes p.grad = −Δθ. The session's ``step_size`` is 1 by default, so p.grad is the
preconditioned gradient (F + λI)⁻¹ḡ and your optimizer's lr is the step size: ``SGD(lr=γ)`` applies
exactly the daemon's NGD step with γ; ``SGD(lr=1)`` applies the daemon's Δθ bit for bit whatever its
step size; momentum, weight decay, Adam's normalization and LR schedulers act on the preconditioned
gradient as they would on a gradient (Adam on top of NGD is not NGD any more).

Recording: only forward passes in training mode with gradients enabled (``torch.no_grad()`` and
``model.eval()`` passes are ignored unless ``record_eval=True``). Micro-batches: every recorded forward
whose backward ran before ``step()`` is part of the step; sums and counts add (the centred sums merge by
Chan et al.'s rule). With ``reduction='mean'`` the rows held are g_n/b with b the step's total examples,
i.e. your accumulated loss must be the mean over all of them (each micro-batch's mean loss divided by the
number of equal-sized micro-batches, the usual recipe).

Failure policy (default): a dropped connection or a daemon restart never raises into the loop: the
client reconnects and resumes; on a resume gap the step is sent again as the step after the daemon's
checkpoint (counted in ``counters.resume_gaps``, logged once); a lost session is opened again; when
fisherd cannot be reached, the step keeps your own gradient (``step()`` returns None,
``counters.fallback_steps``). ``strict=True`` raises instead. Local errors (bad shapes, non-finite
statistics) always raise.

Transport: a daemon on the same machine (or a sidecar sharing its memory-backed volume) takes the
statistics and returns Δθ through shared-memory files instead of WebSocket frames (``AsyncClient``'s
``shared_memory``, on by default; ``shared_memory=False`` turns it off, a path names where the daemon's
directory is mounted here); a daemon elsewhere gets frames, as before.

Data parallel (``data_parallel``, ``_torch_distributed``): with torch.distributed initialized every rank
gets the single-process update on the merged batch, either by all-reducing the statistics with torch
(``'allreduce'``, the ``'auto'`` default with more than one rank; the centred sums merge by Chan's rule
in a second all-reduce; rank 0 talks to fisherd and broadcasts Δθ) or with every rank a worker of one
session (``'workers'``). Several daemons: ``Preconditioner(model, [url_a, url_b])`` places the blocks
largest-first by size, one independent session per daemon (``placement``, ``last_updates``).
"""
from __future__ import annotations

from typing import Callable, Dict, List, Mapping, Optional, Union

import numpy as np
import torch
from torch import nn

from ._torch_engines import make_engine, trainable_parameters
from ._torch_preconditioner import (
    DiagonalSender, FailureCounters, FisherdOptimizer, KroneckerSender, LayerStatistics, MeanSquaredError, Preconditioner,
)
from ._torch_likelihoods import Bernoulli, Categorical, Gaussian, Likelihood
from .config import Block, Structure, StructureLike
from .results import Update
from .step_input import StepInput

__all__ = [
    'ParameterBlocks', 'Likelihood', 'Categorical', 'Bernoulli', 'Gaussian',
    'per_example_grads', 'sampled_label_grads', 'gradients',
    'Preconditioner', 'FisherdOptimizer', 'DiagonalSender', 'KroneckerSender', 'LayerStatistics', 'FailureCounters', 'MeanSquaredError',
]

StructureChoice = Union[StructureLike, Mapping[str, StructureLike], Callable[[str, torch.Size], StructureLike]]


class ParameterBlocks:
    """A model's trainable parameters as fisherd's named blocks: one block per parameter tensor, named as
    in ``named_parameters()`` (e.g. ``'0.weight'``), in that order, each flattened row-major. This is the
    order of the rows the gradient helpers return."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        named = trainable_parameters(model)
        if not named:
            raise ValueError('the model has no trainable parameters')
        self.names: List[str] = [name for name, _ in named]
        self.parameters: List[nn.Parameter] = [p for _, p in named]
        self.sizes: List[int] = [p.numel() for p in self.parameters]

    @property
    def dim(self) -> int:
        """D, the number of trainable parameters."""
        return sum(self.sizes)

    def blocks(self, structure: StructureChoice = 'diagonal') -> List[Block]:
        """The session's ``blocks``: ``structure`` for every block, a mapping name → structure (missing
        names diagonal), or a function (name, shape) → structure (e.g. full for small tensors only)."""
        out = []
        for name, p, size in zip(self.names, self.parameters, self.sizes):
            if callable(structure) and not isinstance(structure, Structure):
                chosen = structure(name, p.shape)
            elif isinstance(structure, Mapping):
                chosen = structure.get(name, 'diagonal')
            else:
                chosen = structure
            out.append(Block(name, size, chosen))
        return out

    def vector(self) -> np.ndarray:
        """θ as D float32 (e.g. for ``StepInput.params`` with weight decay)."""
        with torch.no_grad():
            return torch.cat([p.detach().reshape(-1).float().cpu() for p in self.parameters]).numpy()

    def split(self, flat: Union[np.ndarray, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """A D-vector as one tensor per parameter, shaped like it."""
        tensor = torch.as_tensor(np.asarray(flat) if not isinstance(flat, torch.Tensor) else flat)
        if tensor.numel() != self.dim:
            raise ValueError(f'expected {self.dim} values, got {tensor.numel()}')
        out, offset = {}, 0
        for name, p, size in zip(self.names, self.parameters, self.sizes):
            out[name] = tensor.reshape(-1)[offset:offset + size].reshape(p.shape)
            offset += size
        return out

    def apply(self, update: Union[Update, np.ndarray, torch.Tensor]) -> None:
        """θ ← θ + Δθ in place (outside autograd), from an ``Update`` or a D-vector."""
        delta = update.delta if isinstance(update, Update) else update
        with torch.no_grad():
            for p, step in zip(self.parameters, self.split(delta).values()):
                p.add_(step.to(device=p.device, dtype=p.dtype))


def per_example_grads(
    model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor, targets: torch.Tensor, *, method: str = 'auto',
) -> torch.Tensor:
    """The (b, D) per-example gradients g_n = ∇_θ[−log p(y_n | f(x_n, θ))] (the empirical Fisher's rows).

    ``method``: 'auto' (the nn.Linear closed form when every parameter is in an nn.Linear used once,
    else vmap), 'linear', 'vmap' or 'loop' (one backward pass per example; a reference).
    """
    engine = make_engine(method, model, likelihood, inputs)
    return engine.rows(targets).detach()  # type: ignore[attr-defined]


def sampled_label_grads(
    model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor, samples_per_example: int = 1, *,
    generator: Optional[torch.Generator] = None, method: str = 'auto',
) -> tuple:
    """``(rows, labels)``: rows (b, K, D) are g̃_{n,k} = ∇_θ[−log p(ỹ_{n,k} | f(x_n, θ))] for K labels
    ỹ_{n,k} ~ p(· | f(x_n, θ)) per example (the Monte-Carlo Fisher's rows); labels (b, K, ...) are the draws."""
    engine = make_engine(method, model, likelihood, inputs)
    return _sampled(engine, likelihood, samples_per_example, generator)


def _sampled(engine: object, likelihood: Likelihood, k: int, generator: Optional[torch.Generator]) -> tuple:
    if k < 1:
        raise ValueError(f'samples_per_example must be ≥ 1, got {k}')
    outputs = engine.outputs.detach()  # type: ignore[attr-defined]
    labels = likelihood.sample(outputs, k, generator)
    rows = torch.stack([engine.rows(labels[:, j]).detach() for j in range(k)], dim=1)  # type: ignore[attr-defined]
    return rows, labels


def gradients(
    model: nn.Module,
    likelihood: Likelihood,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    *,
    per_example: bool = True,
    samples_per_example: int = 0,
    generator: Optional[torch.Generator] = None,
    method: str = 'auto',
) -> StepInput:
    """One step's contribution for a minibatch, with ``reduction='sum'`` (see the module's note).

    Args:
        per_example: send the per-example gradients g_n (needed by efgd, snr, va and to track Ẽ or S);
            when False only ``mean_grad`` = Σ_n g_n is sent (sgd, ngd, adam).
        samples_per_example: K ≥ 1 sampled-label gradients per example for the Fisher (ngd, or tracking F);
            0 sends none.
        generator: the random generator of the label draws (default torch's global one).
        method: how per-example gradients are computed (see ``per_example_grads``).

    Returns a ``StepInput`` with ``loss`` = (1/b) Σ_n ℓ_n, to pass to ``client.step``.
    """
    engine = make_engine(method, model, likelihood, inputs)
    outputs = engine.outputs  # type: ignore[attr-defined]
    b = inputs.shape[0]
    loss = float(likelihood.nll(outputs.detach(), targets).mean())
    contribution = StepInput(reduction='sum', batch_size=b, loss=loss)
    if per_example:
        contribution.per_example_grads = engine.rows(targets).detach()  # type: ignore[attr-defined]
    else:
        params = [p for _, p in trainable_parameters(model)]
        # The closed-form engine's forward pass carries the graph; the others ran without it.
        total = likelihood.nll(outputs if outputs.requires_grad else model(inputs), targets).sum()
        grads = torch.autograd.grad(total, params, retain_graph=samples_per_example > 0)
        contribution.mean_grad = torch.cat([g.reshape(-1) for g in grads]).detach()
    if samples_per_example > 0:
        contribution.sampled_label_grads, _ = _sampled(engine, likelihood, samples_per_example, generator)
    return contribution
