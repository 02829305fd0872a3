"""The exact ("type-2") Fisher for the ``Preconditioner`` (``fisher_source='exact'``): the columns of the
loss Hessian's square root with respect to the model's outputs, backpropagated to the recorded layer
outputs, instead of labels sampled from the model (math.md, "Fisher, exact (= GGN)").

For ℓ_n = −log p(y_n | f_n) with natural parameters f_n (d outputs per example) the Hessian
H_n = ∂²ℓ_n/∂f_n² does not depend on y_n, and any S_n with S_n S_nᵀ = H_n gives

    Σ_n J_nᵀ H_n J_n = Σ_n Σ_c u_{n,c} u_{n,c}ᵀ,   u_{n,c} = J_nᵀ S_n[:, c]   (J_n = ∂f_n/∂θ).

Column c for all examples at once is one backward pass of the outputs with output gradient S_n[:, c]
(row n): C backward passes in all, to the recorded layer outputs z only (never p.grad). The gradient
e_{n,c} = ∂(Σ_n f_nᵀ S_n[:, c])/∂z_n a layer receives is at the per-example scale, whatever the user's
reduction, and feeds the same hook statistics as a sampled label's: a diagonal block's Σ_n Σ_c u∘u (the
layer's share of u_{n,c}), a Kronecker block's G = Σ_{n,c} e eᵀ (count b, math.md's table).

Square roots (columns c = 1..C, C = d):

* ``Categorical`` (softmax cross-entropy; outputs (b, C) logits): H = diag(π) − ππᵀ (π = softmax f),
  S = diag(√π) − π √πᵀ (S Sᵀ = diag(π) − 2ππᵀ + π (√πᵀ√π) πᵀ = H since Σ π = 1). Column c is
  √π_c (e_c − π) = √π_c ∇_f ℓ(y = c): the exact Fisher is Σ_c π_c g_c g_cᵀ, the expectation that K
  sampled labels estimate.
* ``Bernoulli`` (binary cross-entropy with logits; d independent logits): H = diag(π(1 − π)),
  S = diag(√(π(1 − π))): for one logit the one column √(π(1 − π)).
* ``Gaussian`` with variance σ²: ℓ = ‖f − y‖²/(2σ²), H = I/σ², S = I/σ; the preconditioner's 'mse'
  (``MeanSquaredError``, what ``nn.MSELoss`` is per example: σ² = d/2) has S = √(2/d)·I.

Other likelihoods are refused (``ValueError``), and so are outputs with more than ``MAX_EXACT_OUTPUTS``
values per example (C backward passes per forward: the sampled Fisher's K = 1 pass is the choice there).
"""
from __future__ import annotations

from typing import Iterator, Optional, Sequence, Tuple

import torch

from ._torch_likelihoods import Bernoulli, Categorical, Gaussian, Likelihood

#: The most outputs per example (columns of S_n, hence backward passes per forward) the exact Fisher takes.
MAX_EXACT_OUTPUTS = 64

FISHER_SOURCES = ('sampled', 'exact')


def _kind(likelihood: Likelihood) -> Optional[str]:
    """'categorical', 'bernoulli', 'gaussian' or 'mse' for the built-in likelihoods (exact types: a
    subclass may change ``nll`` and with it the Hessian), else None."""
    from ._torch_preconditioner import MeanSquaredError  # (that module imports this one)

    kinds = {Categorical: 'categorical', Bernoulli: 'bernoulli', Gaussian: 'gaussian', MeanSquaredError: 'mse'}
    return kinds.get(type(likelihood))


def check_likelihood(likelihood: Optional[Likelihood]) -> None:
    """Raises ``ValueError`` unless the exact Fisher knows the likelihood's Hessian square root."""
    if likelihood is not None and _kind(likelihood) is None:
        raise ValueError(f"fisher_source='exact' takes the likelihoods 'cross_entropy', 'bce_with_logits', 'mse' and "
                         f"'gaussian' (Categorical, Bernoulli, MeanSquaredError, Gaussian), not {type(likelihood).__name__}: "
                         f"use fisher_source='sampled' (labels drawn from likelihood.sample) for it")


def hessian_sqrt(likelihood: Likelihood, f: torch.Tensor) -> torch.Tensor:
    """S (b, d, C) in float64 with S_n S_nᵀ = H_n, the Hessian of ℓ_n with respect to example n's d outputs
    (flattened row-major), C = d columns; ``f`` is detached. ``ValueError`` for an unsupported likelihood, an
    output shape it does not take, or d > ``MAX_EXACT_OUTPUTS``."""
    check_likelihood(likelihood)
    kind = _kind(likelihood)
    if f.dim() == 0:
        raise ValueError('fisherd: the exact Fisher needs outputs with the batch as their first axis')
    b = f.shape[0]
    flat = f.detach().reshape(b, -1).double()
    d = flat.shape[1]
    if kind == 'categorical' and f.dim() != 2:
        raise ValueError(f"fisherd: the exact Fisher with cross-entropy needs (b, C) logits, got outputs of shape {tuple(f.shape)}")
    if d > MAX_EXACT_OUTPUTS:
        raise ValueError(f"fisherd: fisher_source='exact' costs one backward pass per output, and the model has {d} outputs "
                         f"per example (at most {MAX_EXACT_OUTPUTS}): use fisher_source='sampled' (samples=K passes)")
    if kind == 'categorical':
        pi = torch.softmax(flat, dim=1)
        root = pi.sqrt()
        return torch.diag_embed(root) - pi.unsqueeze(2) * root.unsqueeze(1)
    if kind == 'bernoulli':
        pi = torch.sigmoid(flat)
        return torch.diag_embed((pi * (1.0 - pi)).sqrt())
    variance = likelihood.variance if kind == 'gaussian' else likelihood._variance(f)  # type: ignore[attr-defined]
    eye = torch.eye(d, dtype=torch.float64, device=f.device)
    return (eye / variance ** 0.5).expand(b, d, d)


def column_grads(likelihood: Likelihood, outputs: torch.Tensor, zs: Sequence[torch.Tensor]
                 ) -> Iterator[Tuple[Optional[torch.Tensor], ...]]:
    """Per column c of S: the gradients of Σ_n f_nᵀ S_n[:, c] with respect to ``zs`` (the recorded layer
    outputs; None where one does not reach the outputs), the graph kept for the user's backward. The
    square root is formed before the first pass (so an unsupported output raises before any backward)."""
    s = hessian_sqrt(likelihood, outputs)
    for c in range(s.shape[2]):
        column = s[:, :, c].reshape(outputs.shape).to(dtype=outputs.dtype)
        yield torch.autograd.grad(outputs, list(zs), grad_outputs=column, retain_graph=True, allow_unused=True)
