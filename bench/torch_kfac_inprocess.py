"""K-FAC NGD written in torch in the training process: the baseline a PyTorch user would otherwise run
(kfac-pytorch's `KFACPreconditioner` with its 'inverse' compute method does these steps), for
bench/torch_step.py's `kfac-torch` contender. It does the math fisherd's `kfac` contender asks of the
daemon, on the model's own device, in float32:

- forward hooks keep each layer's input a (with a column of ones for the bias; convolution patches by
  `F.unfold`, every position an example: the expand convention), and its output;
- the Fisher's output gradients from one extra backward with labels sampled from the model's predictive
  distribution (K = 1), as fisherd's `kfac` contender computes them (`torch.autograd.grad` to the outputs);
- every `factors_every` steps (default 1; kfac-pytorch's `factor_update_steps`): A = aᵀa / n and
  G = gᵀg · n / n_pos (g of the summed sampled-label loss), EMA with decay 0.95 per update and bias
  correction; on the other steps neither the inputs are kept nor the sampled-label backward runs;
- every `refresh_every` steps: π-damped inverses (Martens & Grosse 2015, §6.3):
  (A + π√λ I)⁻¹ and (G + √λ/π I)⁻¹ with π² = (tr A / dim A) / (tr G / dim G), by Cholesky;
- every step: Δ = G⁻¹ V A⁻¹ for each layer's gradient V = [W | b], written into p.grad for the user's
  optimizer.

Linear and Conv2d layers only (the benchmark's models); nothing else is preconditioned.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import torch
from torch import nn
import torch.nn.functional as F


class _Layer:
    def __init__(self, module: nn.Module) -> None:
        self.module = module
        self.a: Optional[torch.Tensor] = None
        self.out: Optional[torch.Tensor] = None
        self.A: Optional[torch.Tensor] = None
        self.G: Optional[torch.Tensor] = None
        self.A_inv: Optional[torch.Tensor] = None
        self.G_inv: Optional[torch.Tensor] = None


class InProcessKfac:
    """Per step: `sample(logits)` after the forward, then the user's `loss.backward()`, `update_factors()`,
    `step()` (refresh when due, then precondition p.grad), then the user's `optimizer.step()`."""

    def __init__(self, model: nn.Module, damping: float = 1e-3, decay: float = 0.95, refresh_every: int = 10,
                 generator: Optional[torch.Generator] = None, factors_every: int = 1) -> None:
        if factors_every < 1:
            raise ValueError(f'factors_every must be ≥ 1, got {factors_every}')
        self.damping, self.decay, self.refresh_every = damping, decay, refresh_every
        self.factors_every = factors_every
        self.generator = generator
        self.steps = 0
        self.factor_updates = 0
        self._grads: Any = ()
        self._batch = 0
        self._correction = 1.0
        self.layers: List[_Layer] = []
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                layer = _Layer(module)
                module.register_forward_hook(self._forward_hook(layer))
                self.layers.append(layer)

    def factors_due(self) -> bool:
        """Whether this step (the one whose forward runs now) updates the factors."""
        return self.steps % self.factors_every == 0

    def _forward_hook(self, layer: _Layer) -> Any:
        def hook(module: nn.Module, inputs: Any, output: torch.Tensor) -> None:
            if not torch.is_grad_enabled() or not self.factors_due():
                return
            x = inputs[0].detach()
            if isinstance(module, nn.Conv2d):
                patches = F.unfold(x, module.kernel_size, dilation=module.dilation, padding=module.padding, stride=module.stride)
                x = patches.transpose(1, 2).reshape(-1, patches.shape[1])  # (b·positions, C·k·k)
            if module.bias is not None:
                x = torch.cat([x, x.new_ones(x.shape[0], 1)], dim=1)
            layer.a = x
            layer.out = output
        return hook

    def sample(self, logits: torch.Tensor) -> None:
        """The Fisher's output gradients: one backward of the summed loss at labels drawn from softmax(logits)
        (on the steps that update the factors; nothing on the others)."""
        if not self.factors_due():
            return
        with torch.no_grad():
            labels = torch.multinomial(F.softmax(logits.detach(), dim=1), 1, generator=self.generator).squeeze(1)
        loss = F.cross_entropy(logits, labels, reduction='sum')
        outs = [layer.out for layer in self.layers]
        self._grads = torch.autograd.grad(loss, outs, retain_graph=True)  # type: ignore[arg-type]
        self._batch = logits.shape[0]

    @torch.no_grad()
    def update_factors(self) -> None:
        """The factors of this step's batch folded into their EMAs (after `sample`; nothing on the steps that
        do not update the factors)."""
        if not self.factors_due():
            return
        b = self._batch
        self.factor_updates += 1
        self._correction = 1 - self.decay ** self.factor_updates
        for layer, g in zip(self.layers, self._grads):
            if g.dim() == 4:  # conv: every position an example
                g = g.permute(0, 2, 3, 1).reshape(-1, g.shape[1])
            a = layer.a
            assert a is not None
            A = a.t() @ a / a.shape[0]
            G = g.t() @ g / b
            if layer.A is None or layer.G is None:
                layer.A, layer.G = torch.zeros_like(A), torch.zeros_like(G)
            layer.A.mul_(self.decay).add_(A, alpha=1 - self.decay)
            layer.G.mul_(self.decay).add_(G, alpha=1 - self.decay)
            layer.a = layer.out = None
        self._grads = ()

    @torch.no_grad()
    def step(self) -> None:
        if self.steps % self.refresh_every == 0:
            for layer in self.layers:
                A = layer.A / self._correction  # type: ignore[operator]
                G = layer.G / self._correction  # type: ignore[operator]
                pi = ((A.trace() / A.shape[0]) / (G.trace() / G.shape[0])).clamp(min=1e-12).sqrt()
                root = self.damping ** 0.5
                eye_a = torch.eye(A.shape[0], dtype=A.dtype)
                eye_g = torch.eye(G.shape[0], dtype=G.dtype)
                layer.A_inv = torch.cholesky_inverse(torch.linalg.cholesky(A + pi * root * eye_a))
                layer.G_inv = torch.cholesky_inverse(torch.linalg.cholesky(G + (root / pi) * eye_g))
        for layer in self.layers:
            module = layer.module
            weight = module.weight
            if weight.grad is None:
                continue
            out = weight.shape[0]
            V = weight.grad.reshape(out, -1)
            if module.bias is not None and module.bias.grad is not None:
                V = torch.cat([V, module.bias.grad.reshape(out, 1)], dim=1)
            U = layer.G_inv @ V @ layer.A_inv  # type: ignore[operator]
            if module.bias is not None and module.bias.grad is not None:
                weight.grad.copy_(U[:, :-1].reshape(weight.shape))
                module.bias.grad.copy_(U[:, -1])
            else:
                weight.grad.copy_(U.reshape(weight.shape))
        self.steps += 1

    def state(self) -> Dict[str, int]:
        return {'layers': len(self.layers), 'steps': self.steps, 'factor_updates': self.factor_updates}
