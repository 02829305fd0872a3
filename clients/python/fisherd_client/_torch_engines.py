"""Per-example gradients of ℓ_n = −log p(y_n | f(x_n, θ)), three ways, all returning (b, D) rows in the
order of the model's trainable parameters (``named_parameters``, each flattened row-major):

* ``LinearEngine``: closed form for models whose parameters all live in ``nn.Linear`` layers. With
  z = W a + c for one example, ∂ℓ_n/∂W = δ_n a_nᵀ and ∂ℓ_n/∂c = δ_n, δ_n = ∂ℓ_n/∂z_n. One forward pass
  records every layer's input a and output z; one backward pass of Σ_n ℓ_n gives all δ_n at once (examples
  do not interact), and the rows are outer products: no per-example backward pass (BackPACK's BatchGrad).
* ``VmapEngine``: ``vmap(grad(ℓ))`` over examples for any model without cross-example layers
  (``torch.func`` on torch ≥ 2.0, the bundled ``functorch`` on 1.13).
* ``LoopEngine``: one backward pass per example; slow, the reference the other two are tested against.

Each engine is built for one batch of inputs (``outputs`` is f for them) and then gives the rows for any
labels: the training labels (per-example gradients) or labels sampled from the model.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Tuple

import torch
from torch import nn

from ._torch_likelihoods import Likelihood


def trainable_parameters(model: nn.Module) -> List[Tuple[str, nn.Parameter]]:
    return [(name, p) for name, p in model.named_parameters() if p.requires_grad]


class LoopEngine:
    def __init__(self, model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor) -> None:
        self.model, self.likelihood, self.inputs = model, likelihood, inputs
        self.params = [p for _, p in trainable_parameters(model)]
        with torch.no_grad():
            self.outputs = model(inputs)

    def rows(self, labels: torch.Tensor) -> torch.Tensor:
        rows = []
        for n in range(self.inputs.shape[0]):
            loss = self.likelihood.nll(self.model(self.inputs[n:n + 1]), labels[n:n + 1]).sum()
            grads = torch.autograd.grad(loss, self.params)
            rows.append(torch.cat([g.reshape(-1) for g in grads]))
        return torch.stack(rows)


def _functional_api() -> Tuple[Callable, Callable]:
    """``(vmap, grad)`` from torch.func (torch ≥ 2.0) or functorch (torch 1.13)."""
    try:
        from torch.func import grad, vmap  # type: ignore[import-not-found]
    except ImportError:
        from functorch import grad, vmap  # type: ignore[import-not-found,no-redef]
    return vmap, grad


class VmapEngine:
    def __init__(self, model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor) -> None:
        self.likelihood, self.inputs = likelihood, inputs
        trainable = dict(trainable_parameters(model))
        self.names = list(trainable)
        self.params = {name: p.detach() for name, p in trainable.items()}
        self.call = self._stateless_call(model)
        with torch.no_grad():
            self.outputs = model(inputs)

    @staticmethod
    def _stateless_call(model: nn.Module) -> Callable[[Dict[str, torch.Tensor], torch.Tensor], torch.Tensor]:
        """f(params, x): the model with its trainable parameters replaced by ``params``."""
        try:
            from torch.func import functional_call  # type: ignore[import-not-found]
        except ImportError:
            from torch.nn.utils.stateless import functional_call  # torch 1.13 (works under functorch)
        frozen = {name: p.detach() for name, p in model.named_parameters() if not p.requires_grad}
        frozen.update(dict(model.named_buffers()))
        return lambda params, x: functional_call(model, {**frozen, **params}, (x,))

    def rows(self, labels: torch.Tensor) -> torch.Tensor:
        vmap, grad = _functional_api()

        def loss_one(params: Dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return self.likelihood.nll(self.call(params, x.unsqueeze(0)), y.unsqueeze(0)).sum()

        grads = vmap(grad(loss_one), in_dims=(None, 0, 0))(self.params, self.inputs, labels)
        b = self.inputs.shape[0]
        return torch.cat([grads[name].reshape(b, -1) for name in self.names], dim=1)


class NotLinearOnly(Exception):
    """The model is not eligible for the closed form (a parameter outside nn.Linear, a layer used twice,
    an input that is not (b, features))."""


class LinearEngine:
    def __init__(self, model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor) -> None:
        self.likelihood = likelihood
        owners: Dict[int, Tuple[nn.Linear, str]] = {}
        for module in model.modules():
            if isinstance(module, nn.Linear):
                owners[id(module.weight)] = (module, 'weight')
                if module.bias is not None:
                    owners[id(module.bias)] = (module, 'bias')
        self.layout: List[Tuple[nn.Linear, str]] = []
        for name, p in trainable_parameters(model):
            if id(p) not in owners:
                raise NotLinearOnly(f'parameter {name} is not a weight or bias of an nn.Linear')
            self.layout.append(owners[id(p)])
        layers = {id(m): m for m, _ in self.layout}
        self.recorded: Dict[int, List[Tuple[torch.Tensor, torch.Tensor]]] = {key: [] for key in layers}

        def record(module: nn.Module, args: Tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
            self.recorded[id(module)].append((args[0].detach(), output))

        handles = [m.register_forward_hook(record) for m in layers.values()]
        try:
            self.outputs = model(inputs)
        finally:
            for handle in handles:
                handle.remove()
        b = inputs.shape[0]
        for key, calls in self.recorded.items():
            if len(calls) != 1:
                raise NotLinearOnly(f'an nn.Linear ran {len(calls)} times in one forward pass')
            a, z = calls[0]
            if a.dim() != 2 or a.shape[0] != b:
                raise NotLinearOnly(f'an nn.Linear saw input of shape {tuple(a.shape)}, not ({b}, features)')
        self._keys = list(self.recorded)

    def rows(self, labels: torch.Tensor) -> torch.Tensor:
        total = self.likelihood.nll(self.outputs, labels).sum()
        zs = [self.recorded[key][0][1] for key in self._keys]
        deltas = dict(zip(self._keys, torch.autograd.grad(total, zs, retain_graph=True)))
        parts = []
        for module, kind in self.layout:
            delta = deltas[id(module)]
            if kind == 'bias':
                parts.append(delta)
            else:
                a = self.recorded[id(module)][0][0]
                parts.append(torch.einsum('bo,bi->boi', delta, a).reshape(delta.shape[0], -1))
        return torch.cat(parts, dim=1)


ENGINES = {'loop': LoopEngine, 'vmap': VmapEngine, 'linear': LinearEngine}


def make_engine(method: str, model: nn.Module, likelihood: Likelihood, inputs: torch.Tensor) -> object:
    """The engine for ``method``: 'linear', 'vmap', 'loop', or 'auto' (linear when eligible, else vmap)."""
    if method == 'auto':
        try:
            return LinearEngine(model, likelihood, inputs)
        except NotLinearOnly:
            return VmapEngine(model, likelihood, inputs)
    if method not in ENGINES:
        raise ValueError(f"method must be 'auto', 'linear', 'vmap' or 'loop', got {method!r}")
    return ENGINES[method](model, likelihood, inputs)
