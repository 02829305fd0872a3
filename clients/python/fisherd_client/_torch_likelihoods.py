"""Likelihoods p(y | f) for the PyTorch helpers: the per-example loss ℓ_n = −log p(y_n | f_n) and label
sampling ỹ ~ p(· | f) for the Monte-Carlo Fisher (math.md, "Curvature and noise estimates").

The losses are exactly −log p up to additive constants (which have no gradient), so that the gradients
are on math.md's scale. In particular the Gaussian loss is ‖f − y‖²/(2σ²): torch's ``MSELoss`` is
‖f − y‖², twice that for σ² = 1, and its gradient 2(f − y)J would put a factor 4 into every Fisher and
empirical Fisher built from it.
"""
from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F


class Likelihood:
    """An exponential-family likelihood p(y | f) with natural parameters f = the model's output."""

    def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Per-example −log p(y_n | f_n) (constants dropped), shape (b,)."""
        raise NotImplementedError

    def sample(self, f: torch.Tensor, k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
        """K labels per example drawn from p(· | f_n), shape (b, K, ...); ``f`` is detached."""
        raise NotImplementedError


class Categorical(Likelihood):
    """Softmax cross-entropy: f are C logits per example, y class indices; ℓ = −log softmax(f)_y.
    (H_n = diag(π_n) − π_n π_nᵀ, math.md eq. 34.)"""

    def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(f, y.long(), reduction='none')

    def sample(self, f: torch.Tensor, k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
        probabilities = torch.softmax(f.detach().double(), dim=-1)
        return torch.multinomial(probabilities, k, replacement=True, generator=generator)


class Bernoulli(Likelihood):
    """Binary cross-entropy with logits: f is one logit per example ((b,) or (b, 1)), y ∈ {0, 1};
    ℓ = −y log σ(f) − (1 − y) log(1 − σ(f))."""

    def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        f = f.reshape(f.shape[0], -1)
        y = y.reshape(f.shape).to(f.dtype)
        return F.binary_cross_entropy_with_logits(f, y, reduction='none').sum(dim=1)

    def sample(self, f: torch.Tensor, k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
        p = torch.sigmoid(f.detach().reshape(f.shape[0], 1, *f.shape[1:]).double())
        return torch.bernoulli(p.expand(f.shape[0], k, *f.shape[1:]), generator=generator).to(f.dtype)


class Gaussian(Likelihood):
    """Gaussian with fixed variance σ² (default 1): f is the mean ((b,) or (b, d)), ℓ = ‖f − y‖²/(2σ²)
    (the constant ½ log 2πσ² dropped). Not ``MSELoss``: see the module's note on the factor 2."""

    def __init__(self, variance: float = 1.0) -> None:
        if not variance > 0:
            raise ValueError(f'variance must be > 0, got {variance}')
        self.variance = float(variance)

    def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        residual = (f - y.reshape(f.shape).to(f.dtype)).reshape(f.shape[0], -1)
        return 0.5 * (residual * residual).sum(dim=1) / self.variance

    def sample(self, f: torch.Tensor, k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
        mean = f.detach().reshape(f.shape[0], 1, *f.shape[1:])
        noise = torch.randn((f.shape[0], k, *f.shape[1:]), generator=generator, dtype=torch.float64, device=f.device)
        return mean + (self.variance ** 0.5) * noise.to(f.dtype)
