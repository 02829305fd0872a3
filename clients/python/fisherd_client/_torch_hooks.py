"""Per-layer statistics from forward/backward hook quantities, on the model's device, without per-example
gradient tensors of the model's size (BackPACK's SumGradSquared / Variance, and K-FAC's factors).

A *handler* owns one module. In the forward pass it captures what the layer saw (``capture``: the layer
inputs a, or the normalized input x̂, or the indices); during a backward it receives e = ∂loss/∂z, the
gradient of the loss with respect to the module's output z. From a micro-batch's calls it returns:

* ``moments(calls, es, centred)``: per trainable parameter, Σ_n r_n, Σ_n r_n∘r_n and (when ``centred``)
  Σ_n (r_n − r̄)∘(r_n − r̄) in two passes, where r_n is example n's gradient *as the backward held it*
  (the user's loss and reduction);
* ``squares(calls, es)``: Σ_n r_n∘r_n alone (the sampled-label Fisher's backward);
* ``gradient_sum(calls, es)`` (affine layers): Σ_n r_n alone, for Kronecker blocks;
* ``input_factor(calls)``, ``output_factor(es)`` (affine layers): A = Σ ā āᵀ (count b·R) and G = Σ e eᵀ.

Affine layers (``nn.Linear``, ``nn.Conv2d``), with ā = [a; 1] when there is a bias and R positions
(1 for a Linear on (b, in) inputs; the tokens of a Linear on (b, T, in); the output pixels of a
convolution, whose a are the unfolded patches, ``F.unfold``, in ``weight.flatten(1)`` order):
example n's gradient is g_n = Σ_r e_{n,r} ā_{n,r}ᵀ (out × in').

* Σ g_n = Σ_{n,r} e ā ᵀ: one matrix product.
* R = 1: Σ g_n∘g_n = (e∘e)ᵀ(ā∘ā), one matrix product, no per-example tensor (BackPACK's trick).
* R > 1, or the centred sum: the per-example g_n are formed in chunks of examples
  (``einsum('bro,bri->boi')``, O(chunk·out·in') memory, at most ``CHUNK_ELEMENTS`` elements a chunk;
  O(b·R·out·in') flops, the cost of the layer's weight gradient itself) and reduced at once; nothing of
  size b·D lives at any time.

Normalization layers (BatchNorm*, LayerNorm, GroupNorm): y = γ∘x̂ + β per channel, so example n's
gradients are (Σ_pos e∘x̂)_n and (Σ_pos e)_n: (b, C) rows, formed directly. x̂ is recomputed in the
forward hook with the statistics the layer used (batch statistics in training, running ones in eval).
Embeddings: g_n = Σ_t onehot(i_{n,t}) e_{n,t}ᵀ, reduced over the distinct (n, i) pairs (index_add), never
a (b, V, d) tensor.

Per-example means "the part of the batch gradient that flows through example n's use of the layer":
exactly ∇ℓ_n when no layer mixes examples after this one (every model without BatchNorm in training
mode, and every layer after the last such BatchNorm); for a layer before a BatchNorm in training mode it
is e_n ā_nᵀ with e_n = ∂(Σ_m ℓ_m)/∂z_n (the per-example-weight-copy gradient), as BackPACK and K-FAC use.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

#: The most elements of one chunk of per-example gradients (2²⁵: 128 MiB in float32).
CHUNK_ELEMENTS = 1 << 25

Moments = Dict[str, Dict[str, torch.Tensor]]  # param name -> {'sum', 'squares', 'centred'}


def _work_dtype(t: torch.Tensor) -> torch.dtype:
    return torch.float64 if t.dtype == torch.float64 else torch.float32


class Handler:
    """One module's statistics (see the module's note). ``params``: (name within the module, parameter)
    of its trainable parameters, in the block's layout order."""

    kind = 'diagonal'

    def __init__(self, module: nn.Module, params: List[Tuple[str, nn.Parameter]]) -> None:
        self.module = module
        self.params = params

    def capture(self, args: Tuple[Any, ...], output: torch.Tensor) -> Any:
        raise NotImplementedError

    def rows(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Dict[str, torch.Tensor]:
        """Per-example rows (b, size) for each parameter, for handlers whose rows are small."""
        raise NotImplementedError

    def moments(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], centred: bool) -> Moments:
        out: Moments = {}
        for name, r in self.rows(calls, es).items():
            total = r.sum(dim=0)
            entry = {'sum': total, 'squares': (r * r).sum(dim=0)}
            if centred:
                entry['centred'] = ((r - total / r.shape[0]) ** 2).sum(dim=0)
            out[name] = entry
        return out

    def squares(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Dict[str, torch.Tensor]:
        return {name: m['squares'] for name, m in self.moments(calls, es, False).items()}


class AffineHandler(Handler):
    """nn.Linear and nn.Conv2d (groups = 1)."""

    kind = 'affine'

    def __init__(self, module: nn.Module, params: List[Tuple[str, nn.Parameter]]) -> None:
        super().__init__(module, params)
        self.has_bias = module.bias is not None  # type: ignore[union-attr]

    def capture(self, args: Tuple[Any, ...], output: torch.Tensor) -> torch.Tensor:
        """ā as (b, R, in')."""
        x = args[0].detach()
        m = self.module
        if isinstance(m, nn.Conv2d):
            patches = F.unfold(x, m.kernel_size, dilation=m.dilation, padding=m.padding, stride=m.stride)  # (b, in, R)
            a = patches.transpose(1, 2)
        else:
            a = x.reshape(x.shape[0], -1, x.shape[-1])
        a = a.to(_work_dtype(a))
        if self.has_bias:
            a = torch.cat([a, a.new_ones(a.shape[0], a.shape[1], 1)], dim=2)
        return a

    def output_grad(self, e: torch.Tensor) -> torch.Tensor:
        """e as (b, R, out)."""
        if isinstance(self.module, nn.Conv2d):
            return e.reshape(e.shape[0], e.shape[1], -1).transpose(1, 2).to(_work_dtype(e))
        return e.reshape(e.shape[0], -1, e.shape[-1]).to(_work_dtype(e))

    def _pairs(self, calls: Sequence[torch.Tensor], es: Sequence[Optional[torch.Tensor]]) -> Tuple[torch.Tensor, torch.Tensor]:
        """ā (b, R, in') and e (b, R, out) of all calls, positions concatenated (a layer used twice in one
        forward pass shares its weight like positions do); calls without a gradient dropped."""
        a = [calls[i] for i, e in enumerate(es) if e is not None]
        g = [self.output_grad(e) for e in es if e is not None]
        return (a[0], g[0]) if len(a) == 1 else (torch.cat(a, dim=1), torch.cat(g, dim=1))

    def _split(self, m: torch.Tensor) -> Dict[str, torch.Tensor]:
        """An (out, in') matrix as the parameters' flattened parts."""
        out: Dict[str, torch.Tensor] = {}
        names = dict(self.params)
        if 'weight' in names:
            w = m[:, :-1] if self.has_bias else m
            out['weight'] = w.reshape(-1)
        if 'bias' in names:
            out['bias'] = m[:, -1].reshape(-1)
        return out

    def _per_example(self, a: torch.Tensor, e: torch.Tensor, centre: Optional[torch.Tensor], want_centred: bool) -> Tuple[torch.Tensor, torch.Tensor]:
        """Σ g_n∘g_n and Σ (g_n − centre)∘(g_n − centre) with g_n formed in chunks."""
        b, out_dim, in_dim = a.shape[0], e.shape[2], a.shape[2]
        chunk = max(1, CHUNK_ELEMENTS // max(1, out_dim * in_dim))
        squares = a.new_zeros(out_dim, in_dim)
        centred = a.new_zeros(out_dim, in_dim) if want_centred else None
        for start in range(0, b, chunk):
            g = torch.einsum('bro,bri->boi', e[start:start + chunk], a[start:start + chunk])
            squares += (g * g).sum(dim=0)
            if centred is not None:
                centred += ((g - centre) ** 2).sum(dim=0)
        return squares, centred  # type: ignore[return-value]

    def moments(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], centred: bool) -> Moments:
        a, e = self._pairs(calls, es)
        total = torch.einsum('bro,bri->oi', e, a)
        if a.shape[1] == 1 and not centred:
            squares, m2 = torch.einsum('bro,bri->oi', e * e, a * a), None
        else:
            squares, m2 = self._per_example(a, e, total / a.shape[0], centred)
        parts = {'sum': self._split(total), 'squares': self._split(squares)}
        if m2 is not None:
            parts['centred'] = self._split(m2)
        return {name: {k: v[name] for k, v in parts.items()} for name in parts['sum']}

    def gradient_sum(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Moments:
        """Σ_n r_n alone (a Kronecker block's share of ḡ: no per-example quantity at all)."""
        a, e = self._pairs(calls, es)
        return {name: {'sum': v} for name, v in self._split(torch.einsum('bro,bri->oi', e, a)).items()}

    def squares(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Dict[str, torch.Tensor]:
        a, e = self._pairs(calls, es)
        if a.shape[1] == 1:
            return self._split(torch.einsum('bro,bri->oi', e * e, a * a))
        return self._split(self._per_example(a, e, None, False)[0])

    def input_factor(self, calls: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, int]:
        """A = Σ_{n,r} ā āᵀ (in' × in') over every call and its count b·R (the 'expand' convention)."""
        a = torch.cat([c.reshape(-1, c.shape[2]) for c in calls], dim=0)
        return a.T @ a, a.shape[0]

    def output_factor(self, es: Sequence[Optional[torch.Tensor]]) -> torch.Tensor:
        """G = Σ_{n,r} e eᵀ (out × out) as the backward held e."""
        g = torch.cat([self.output_grad(e).reshape(-1, self.output_grad(e).shape[2]) for e in es if e is not None], dim=0)
        return g.T @ g


class NormHandler(Handler):
    """BatchNorm1d/2d/3d, LayerNorm, GroupNorm with affine parameters."""

    def capture(self, args: Tuple[Any, ...], output: torch.Tensor) -> torch.Tensor:
        """x̂, the normalized input, as the layer computed it in this pass."""
        x = args[0].detach()
        m = self.module
        with torch.no_grad():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                batch = m.training or not m.track_running_stats or m.running_mean is None
                if batch:
                    xhat = F.batch_norm(x, None, None, None, None, True, 0.0, m.eps)
                else:
                    xhat = F.batch_norm(x, m.running_mean, m.running_var, None, None, False, 0.0, m.eps)
            elif isinstance(m, nn.LayerNorm):
                xhat = F.layer_norm(x, m.normalized_shape, None, None, m.eps)
            else:  # GroupNorm
                xhat = F.group_norm(x, m.num_groups, None, None, m.eps)  # type: ignore[attr-defined]
        return xhat.to(_work_dtype(xhat))

    def _reduce(self, t: torch.Tensor) -> torch.Tensor:
        """(b, ...) → (b, parameter size): the sum over the positions that share a parameter."""
        if isinstance(self.module, nn.LayerNorm):
            k = len(self.module.normalized_shape)
            return t.reshape(t.shape[0], -1, *t.shape[t.dim() - k:]).sum(dim=1).reshape(t.shape[0], -1)
        return t.reshape(t.shape[0], t.shape[1], -1).sum(dim=2) if t.dim() > 2 else t

    def rows(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Dict[str, torch.Tensor]:
        out: Dict[str, torch.Tensor] = {}
        for xhat, e in zip(calls, es):
            if e is None:
                continue
            e = e.to(xhat.dtype)
            parts = {'weight': self._reduce(e * xhat), 'bias': self._reduce(e)}
            for name, _ in self.params:
                out[name] = out[name] + parts[name] if name in out else parts[name]
        return out


class EmbeddingHandler(Handler):
    """nn.Embedding (dense gradients, no scale_grad_by_freq)."""

    def capture(self, args: Tuple[Any, ...], output: torch.Tensor) -> torch.Tensor:
        return args[0].detach()

    def _pairs(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]]) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]:
        """Per distinct (example, index): the summed e (U, d), the index (U,), and b."""
        m = self.module
        keys, grads = [], []
        b = calls[0].shape[0]
        for idx, e in zip(calls, es):
            if e is None:
                continue
            idx = idx.reshape(b, -1)
            e = e.reshape(b, idx.shape[1], -1).to(_work_dtype(e))
            if m.padding_idx is not None:  # type: ignore[attr-defined]
                e = e * (idx != m.padding_idx).unsqueeze(-1).to(e.dtype)  # type: ignore[attr-defined]
            example = torch.arange(b, device=idx.device).unsqueeze(1).expand_as(idx)
            keys.append((example * m.num_embeddings + idx).reshape(-1))  # type: ignore[attr-defined]
            grads.append(e.reshape(-1, e.shape[-1]))
        key, g = torch.cat(keys), torch.cat(grads)
        unique, inverse = torch.unique(key, return_inverse=True)
        sums = g.new_zeros(unique.shape[0], g.shape[1]).index_add_(0, inverse, g)
        return sums, unique % m.num_embeddings, unique, b  # type: ignore[attr-defined]

    def moments(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], centred: bool) -> Moments:
        sums, index, _, b = self._pairs(calls, es)
        shape = tuple(self.module.weight.shape)  # type: ignore[union-attr]
        total = sums.new_zeros(shape).index_add_(0, index, sums)
        squares = sums.new_zeros(shape).index_add_(0, index, sums * sums)
        entry = {'sum': total.reshape(-1), 'squares': squares.reshape(-1)}
        if centred:
            mean = total / b
            present = sums.new_zeros(shape[0]).index_add_(0, index, sums.new_ones(index.shape[0]))
            m2 = sums.new_zeros(shape).index_add_(0, index, (sums - mean[index]) ** 2)
            entry['centred'] = (m2 + (b - present).unsqueeze(1) * mean * mean).reshape(-1)
        return {'weight': entry}


def handler_for(module: nn.Module) -> Optional[type]:
    """The handler class of a supported module, or None."""
    if isinstance(module, nn.Linear):
        return AffineHandler
    if isinstance(module, nn.Conv2d) and module.groups == 1 and module.padding_mode == 'zeros' and not isinstance(module.padding, str):
        return AffineHandler
    if isinstance(module, (nn.modules.batchnorm._BatchNorm, nn.LayerNorm, nn.GroupNorm)) and not isinstance(module, nn.SyncBatchNorm):
        return NormHandler
    if isinstance(module, nn.Embedding) and not module.sparse and not module.scale_grad_by_freq:
        return EmbeddingHandler
    return None
