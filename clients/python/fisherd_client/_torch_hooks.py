"""Per-layer statistics from forward/backward hook quantities, on the model's device, without per-example
gradient tensors of the model's size (BackPACK's SumGradSquared / Variance, and K-FAC's factors).

A *handler* owns one module. In the forward pass it captures what the layer saw (``capture``: the layer
input, or the normalized input x̂, or the indices; nothing is computed from it there); during a backward
it receives e = ∂loss/∂z, the gradient of the loss with respect to the module's output z. From a
micro-batch's calls it gives:

* ``write(calls, es, out, accumulate)``: any of ``'sum'`` Σ_n r_n, ``'squares'`` Σ_n r_n∘r_n and
  ``'centred'`` Σ_n (r_n − r̄)∘(r_n − r̄) (two passes) written into (or, but for the centred sum, added
  to) flat tensors of the block's size in its layout, where r_n is example n's gradient *as the backward
  held it* (the user's loss and reduction). The preconditioner's buffers are those tensors: no per-
  parameter pieces, concatenation or dtype round trip before they are sent. The sampled-label Fisher's
  backward writes ``'squares'`` alone, a Kronecker block's reduction ``'sum'`` alone;
* ``moments(calls, es, centred)``: the same per trainable parameter (a dict);
* ``input_factor(calls)``, ``output_factor(es)`` (affine layers): A = Σ ā āᵀ (count b·R) and G = Σ e eᵀ,
  matrices or, with ``packed=True``, their packed upper triangles (``gram``: about half the products);
* ``gradient_factors(parts)`` (affine layers): the gradient sum Σ e āᵀ as the thin L (b·R, out) and
  R (b·R, in') whose Lᵀ R it is (the wire's ``GradientFactors``), from the calls and gradients kept.

Affine layers (``nn.Linear``, ``nn.Conv2d``), with ā = [a; 1] when there is a bias and R positions
(1 for a Linear on (b, in) inputs; the tokens of a Linear on (b, T, in); the output pixels of a
convolution, whose a are the unfolded patches, ``F.unfold``'s, in ``weight.flatten(1)`` order, formed
once per call when first needed, from strided windows): example n's gradient is g_n = Σ_r e_{n,r} ā_{n,r}ᵀ
(out × in'). The weight's part e aᵀ and the bias's part Σ_r e are computed apart (the 1 is never stored):

* Σ g_n = Σ_{n,r} e aᵀ: one matrix product, written in place.
* R = 1: Σ g_n∘g_n = (e∘e)ᵀ(a∘a), one matrix product, no per-example tensor (BackPACK's trick).
* R > 1, or the centred sum: the per-example g_n are formed in chunks of examples (``bmm``,
  O(chunk·out·in) memory, at most ``CHUNK_ELEMENTS`` elements a chunk; O(b·R·out·in) flops, the cost of
  the layer's weight gradient itself), squared in place and reduced at once; nothing of size b·D lives at
  any time.

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

import functools
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

#: The most elements of one chunk of per-example gradients (2²⁵: 128 MiB in float32).
CHUNK_ELEMENTS = 1 << 25

Moments = Dict[str, Dict[str, torch.Tensor]]  # param name -> {'sum', 'squares', 'centred'}


def _work_dtype(t: torch.Tensor) -> torch.dtype:
    return torch.float64 if t.dtype == torch.float64 else torch.float32


#: The rows of one band of a packed Gram matrix (``gram``): at least this many, and at most ``GRAM_BANDS`` bands.
GRAM_BAND_ROWS = 128
GRAM_BANDS = 8


@functools.lru_cache(maxsize=32)
def _gram_bands(n: int) -> Tuple[Tuple[int, int, int, int, np.ndarray], ...]:
    """The row bands of an n×n packed upper triangle: (first row, end row, first packed position, end packed
    position, the band's upper-triangle mask over its k × (n − first row) block)."""
    bands = max(1, min(GRAM_BANDS, n // GRAM_BAND_ROWS))
    edges = [n * j // bands for j in range(bands + 1)]
    out = []
    for r0, r1 in zip(edges[:-1], edges[1:]):
        k = r1 - r0
        mask = np.ones((k, n - r0), dtype=bool)
        mask[:, :k] = np.triu(np.ones((k, k), dtype=bool))
        out.append((r0, r1, r0 * n - r0 * (r0 - 1) // 2, r1 * n - r1 * (r1 - 1) // 2, mask))
    return tuple(out)


def gram(x: torch.Tensor, packed: bool = False) -> torch.Tensor:
    """xᵀx of x (m, n): the n×n matrix, or with ``packed`` its upper triangle packed row by row (M[0][0],
    M[0][1], …, M[n−1][n−1]: ``statistics.pack_upper``'s order, the wire's), computed in bands of rows, each
    band r0:r1 the product x[:, r0:r1]ᵀ x[:, r0:] of its part on and right of the diagonal: about half the
    multiplications of the whole matrix, and no n×n matrix to pack afterwards."""
    if not packed:
        return x.T @ x
    n = x.shape[1]
    out = x.new_empty(n * (n + 1) // 2)
    cpu = x.device.type == 'cpu'
    flat = out.numpy() if cpu else out
    for r0, r1, o0, o1, mask in _gram_bands(n):
        block = x[:, r0:r1].T @ x[:, r0:]
        # numpy's boolean selection copies a CPU block several times faster than torch.masked_select
        flat[o0:o1] = block.numpy()[mask] if cpu else block[torch.from_numpy(mask).to(x.device)]
    return out


def unpack_gram(packed: torch.Tensor, n: int) -> torch.Tensor:
    """The symmetric n×n matrix of ``gram(x, packed=True)``'s packed upper triangle."""
    out = packed.new_empty(n, n)
    rows, cols = torch.triu_indices(n, n, device=packed.device)
    out[rows, cols] = packed
    out[cols, rows] = packed
    return out


def unfold(x: torch.Tensor, kernel: Tuple[int, int], dilation: Tuple[int, int], padding: Tuple[int, int],
           stride: Tuple[int, int]) -> torch.Tensor:
    """``F.unfold(x, kernel, dilation, padding, stride)`` of a (b, C, H, W) input: (b, C·k_h·k_w, R), the
    patches in ``weight.flatten(1)`` order, R output positions row-major. Formed as strided windows of the
    zero-padded input and one copy (2–3× faster than ``F.unfold``'s im2col on CPUs), in memory as
    (C·k_h·k_w, b, R)."""
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    if ph or pw:
        x = F.pad(x, (pw, pw, ph, ph))
    span_h, span_w = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    windows = x.unfold(2, span_h, sh).unfold(3, span_w, sw)  # (b, C, H', W', span_h, span_w)
    if dh > 1 or dw > 1:
        windows = windows[..., ::dh, ::dw]
    b, c, rows, cols = windows.shape[:4]
    # Stored as (C·k_h·k_w, b, R), returned as its (b, C·k_h·k_w, R) view: the sums over examples and
    # positions read it as the (C·k_h·k_w, b·R) matrix without a copy, the per-example products as is.
    return windows.permute(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, b, rows * cols).transpose(0, 1)


class Handler:
    """One module's statistics (see the module's note). ``params``: (name within the module, parameter)
    of its trainable parameters, in the block's layout order."""

    kind = 'diagonal'

    def __init__(self, module: nn.Module, params: List[Tuple[str, nn.Parameter]]) -> None:
        self.module = module
        self.params = params
        self.size = sum(p.numel() for _, p in params)

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

    def write(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], out: Dict[str, torch.Tensor],
              accumulate: bool = False) -> None:
        """This micro-batch's ``'sum'``, ``'squares'`` and/or ``'centred'`` (the keys of ``out``) written into
        ``out``'s flat tensors of the block's size (block layout: the params' values one after the other),
        or added to them with ``accumulate`` (never for ``'centred'``, which merges by Chan's rule)."""
        assert not (accumulate and 'centred' in out), 'centred sums do not add'
        moments = self.moments(calls, es, 'centred' in out)
        offset = 0
        for name, p in self.params:
            n = p.numel()
            m = moments.get(name, {})
            for field, dest in out.items():
                part, value = dest[offset:offset + n], m.get(field)
                if value is None:
                    if not accumulate:
                        part.zero_()
                elif accumulate:
                    part.add_(value.reshape(-1))
                else:
                    part.copy_(value.reshape(-1))
            offset += n


class AffineInput:
    """What a Linear/Conv2d call saw: its input x (the layer keeps it for its own backward anyway); the
    (b, in, R) patches are formed on first use and kept (``AffineHandler.inputs``)."""

    __slots__ = ('x', 'patches')

    def __init__(self, x: torch.Tensor) -> None:
        self.x = x
        self.patches: Optional[torch.Tensor] = None

    @property
    def shape(self) -> torch.Size:
        return self.x.shape


class AffineHandler(Handler):
    """nn.Linear and nn.Conv2d (groups = 1). The weight's and the bias's parts are computed apart (ā's 1
    never materializes): a as (b, in, R) (a convolution's patches, formed once; a view for a Linear), e as
    (b, out, R) (a view of what the backward holds), and every weight sum is one matrix product written
    straight into its place in the block's flat tensor."""

    kind = 'affine'

    def __init__(self, module: nn.Module, params: List[Tuple[str, nn.Parameter]]) -> None:
        super().__init__(module, params)
        self.has_bias = module.bias is not None  # type: ignore[union-attr]
        weight = module.weight  # type: ignore[union-attr]
        self.out_dim, self.in_dim = int(weight.shape[0]), int(weight[0].numel())
        names = [name for name, _ in params]
        self.trains_weight, self.trains_bias = 'weight' in names, 'bias' in names
        self.weight_size = self.out_dim * self.in_dim if self.trains_weight else 0

    def capture(self, args: Tuple[Any, ...], output: torch.Tensor) -> AffineInput:
        return AffineInput(args[0].detach())

    def inputs(self, call: AffineInput) -> torch.Tensor:
        """a as (b, in, R) in the work dtype (a convolution's patches, formed once per call)."""
        if call.patches is None:
            x, m = call.x, self.module
            if isinstance(m, nn.Conv2d):
                a = unfold(x, m.kernel_size, m.dilation, m.padding, m.stride)  # type: ignore[arg-type]
            else:
                a = x.reshape(x.shape[0], -1, x.shape[-1]).transpose(1, 2)
            call.patches = a.to(_work_dtype(a))
        return call.patches

    def output_grad(self, e: torch.Tensor) -> torch.Tensor:
        """e as (b, out, R)."""
        if isinstance(self.module, nn.Conv2d):
            return e.reshape(e.shape[0], e.shape[1], -1).to(_work_dtype(e))
        return e.reshape(e.shape[0], -1, e.shape[-1]).transpose(1, 2).to(_work_dtype(e))

    def row_count(self, es: Sequence[Optional[torch.Tensor]]) -> int:
        """The row pairs (e, ā) of a micro-batch's calls: b·R over its calls with a gradient (R = 1 for a
        Linear on (b, in) inputs), from the gradients' shapes alone."""
        return sum(e.numel() // self.out_dim for e in es if e is not None)

    def _output_rows(self, e: torch.Tensor) -> torch.Tensor:
        """e as (b·R, out), rows in (example, position) order: a view of a Linear's gradient, one copy for a
        convolution's (b, out, H', W')."""
        if isinstance(self.module, nn.Conv2d):
            e = e.permute(0, 2, 3, 1)
        return e.reshape(-1, self.out_dim).to(_work_dtype(e))

    def _input_rows(self, call: AffineInput) -> torch.Tensor:
        """a as (b·R, in), rows in ``_output_rows``' order: a view of a Linear's input, the patches (one
        copy) for a convolution."""
        if isinstance(self.module, nn.Conv2d):
            return self.inputs(call).transpose(1, 2).reshape(-1, self.in_dim)
        return call.x.reshape(-1, self.in_dim).to(_work_dtype(call.x))

    def gradient_factors(self, parts: Sequence[Tuple[Sequence[AffineInput], Sequence[Optional[torch.Tensor]]]]
                         ) -> Tuple[torch.Tensor, torch.Tensor]:
        """The weight-and-bias gradient sum Σ_j e_j ā_jᵀ of the micro-batches' (calls, output gradients)
        ``parts`` as two thin matrices L (r, out) and R (r, in'), Lᵀ R = the sum (its weight columns row-major,
        then the bias column, are ``write``'s ``'sum'``): row j of L is e_j as the backward held it, of R
        ā_j = [a_j; 1]; r = Σ ``row_count``. Each a contiguous tensor in the work dtype: a Linear's gradient
        and input themselves when there is one call and no bias, else one copy into place (the bias's
        column of ones filled once)."""
        lefts: List[torch.Tensor] = []
        rights: List[torch.Tensor] = []
        for calls, es in parts:
            for call, e in zip(calls, es):
                if e is not None:
                    lefts.append(self._output_rows(e))
                    rights.append(self._input_rows(call))
        left = lefts[0].contiguous() if len(lefts) == 1 else torch.cat(lefts)
        if not self.has_bias:
            return left, rights[0].contiguous() if len(rights) == 1 else torch.cat(rights)
        right = rights[0].new_empty(left.shape[0], self.in_dim + 1)
        at = 0
        for part in rights:
            right[at:at + part.shape[0], :-1] = part
            at += part.shape[0]
        right[:, -1].fill_(1)
        return left, right

    def _pairs(self, calls: Sequence[AffineInput], es: Sequence[Optional[torch.Tensor]]) -> Tuple[torch.Tensor, torch.Tensor]:
        """a (b, in, R) and e (b, out, R) of all calls, positions concatenated (a layer used twice in one
        forward pass shares its weight like positions do); calls without a gradient dropped."""
        a = [self.inputs(calls[i]) for i, e in enumerate(es) if e is not None]
        g = [self.output_grad(e) for e in es if e is not None]
        return (a[0], g[0]) if len(a) == 1 else (torch.cat(a, dim=2), torch.cat(g, dim=2))

    def _weight(self, dest: torch.Tensor) -> torch.Tensor:
        return dest[:self.weight_size].view(self.out_dim, self.in_dim)

    def _bias(self, dest: torch.Tensor) -> torch.Tensor:
        return dest[self.weight_size:self.weight_size + self.out_dim]

    @staticmethod
    def _put(dest: torch.Tensor, value: torch.Tensor, accumulate: bool) -> None:
        if accumulate:
            dest.add_(value)
        else:
            dest.copy_(value)

    @staticmethod
    def _weight_sum(e: torch.Tensor, a: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Σ_{n,r} e_{n,r} a_{n,r}ᵀ as two matrices (out, bR) and (bR, in) whose product it is."""
        if e.shape[2] == 1:
            return e[:, :, 0].T, a[:, :, 0]
        # (b, c, R) → (c, b·R): a view for the patches and a Linear over tokens; e moves in R-long runs.
        return e.transpose(0, 1).reshape(e.shape[1], -1), a.transpose(0, 1).reshape(a.shape[1], -1).T

    def _per_example(self, a: torch.Tensor, e: torch.Tensor, centre: Optional[torch.Tensor],
                     squares: Optional[torch.Tensor], centred: Optional[torch.Tensor], accumulate: bool) -> None:
        """Σ g_n∘g_n (into ``squares``) and Σ (g_n − centre)∘(g_n − centre) (into ``centred``, with
        ``centre``) of the weight's per-example g_n = e_n a_nᵀ (out × in), formed in chunks of examples
        and squared in place; written (the first chunk), or added with ``accumulate`` (squares only)."""
        b, out_dim, in_dim = a.shape[0], e.shape[1], a.shape[1]
        chunk = max(1, CHUNK_ELEMENTS // max(1, out_dim * in_dim))
        for start in range(0, b, chunk):
            g = torch.bmm(e[start:start + chunk], a[start:start + chunk].transpose(1, 2))  # (c, out, in)
            if squares is not None:
                part = torch.mul(g, g) if centred is not None else g.mul_(g)
                if accumulate or start > 0:
                    squares.add_(part.sum(dim=0))
                else:
                    torch.sum(part, dim=0, out=squares)
            if centred is not None:
                g -= centre
                g.mul_(g)
                if start > 0:
                    centred.add_(g.sum(dim=0))
                else:
                    torch.sum(g, dim=0, out=centred)

    def write(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], out: Dict[str, torch.Tensor],
              accumulate: bool = False) -> None:
        assert not (accumulate and 'centred' in out), 'centred sums do not add'
        a, e = self._pairs(calls, es)
        b, positions = a.shape[0], a.shape[2]
        want_centred = 'centred' in out
        total_w = total_b = None
        if 'sum' in out or want_centred:
            left, right = self._weight_sum(e, a)
            if self.trains_weight:
                if 'sum' not in out:
                    total_w = left @ right
                elif accumulate:
                    self._weight(out['sum']).addmm_(left, right)
                else:
                    total_w = torch.mm(left, right, out=self._weight(out['sum']))
            if self.trains_bias:
                total_b = e.sum(dim=(0, 2))
                if 'sum' in out:
                    self._put(self._bias(out['sum']), total_b, accumulate)
        if 'squares' not in out and not want_centred:
            return
        squares = out.get('squares')
        if self.trains_weight:
            if positions == 1 and not want_centred:
                # BackPACK's SumGradSquared: Σ_n (e_n∘e_n)(a_n∘a_n)ᵀ, one product.
                e2, a2 = e[:, :, 0], a[:, :, 0]
                self._weight(squares).addmm_((e2 * e2).T, a2 * a2, beta=1 if accumulate else 0)  # type: ignore[arg-type]
            else:
                self._per_example(a, e, None if total_w is None else total_w / b,
                                  None if squares is None else self._weight(squares),
                                  self._weight(out['centred']) if want_centred else None, accumulate)
        if self.trains_bias:
            rows = e.sum(dim=2) if positions > 1 else e[:, :, 0]  # (b, out): the bias's per-example gradients
            if squares is not None:
                self._put(self._bias(squares), (rows * rows).sum(dim=0), accumulate)
            if want_centred:
                centred_rows = rows - total_b / b  # type: ignore[operator]
                self._bias(out['centred']).copy_((centred_rows * centred_rows).sum(dim=0))

    def moments(self, calls: Sequence[Any], es: Sequence[Optional[torch.Tensor]], centred: bool) -> Moments:
        dtype = _work_dtype(self.inputs(calls[0]))
        fields = {f: torch.empty(self.size, dtype=dtype, device=calls[0].x.device) for f in ('sum', 'squares', 'centred')[:3 if centred else 2]}
        self.write(calls, es, fields)
        return {name: {f: v[offset:offset + p.numel()] for f, v in fields.items()}
                for (name, p), offset in zip(self.params, self._offsets())}

    def _offsets(self) -> List[int]:
        offsets, at = [], 0
        for _, p in self.params:
            offsets.append(at)
            at += p.numel()
        return offsets

    def input_factor(self, calls: Sequence[AffineInput], packed: bool = False) -> Tuple[torch.Tensor, int]:
        """A = Σ_{n,r} ā āᵀ (in' × in') over every call and its count b·R (the 'expand' convention): the Gram
        matrix of ā (in', bR), every call's a copied once into it next to a row of ones (the bias's row,
        column and corner come out of the same product: Σ a, Σ a and b·R). With ``packed``, A's packed upper
        triangle (``gram``)."""
        parts = [self.inputs(c).transpose(0, 1).reshape(self.in_dim, -1) for c in calls]  # (in, bR) views
        if not self.has_bias:
            a = parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)
            return gram(a.T, packed), a.shape[1]
        n = sum(part.shape[1] for part in parts)
        a = parts[0].new_empty(self.in_dim + 1, n)
        at = 0
        for part in parts:
            a[:-1, at:at + part.shape[1]] = part
            at += part.shape[1]
        a[-1].fill_(1)
        return gram(a.T, packed), n

    def output_factor(self, es: Sequence[Optional[torch.Tensor]], packed: bool = False) -> torch.Tensor:
        """G = Σ_{n,r} e eᵀ (out × out) as the backward held e (with ``packed``, its packed upper triangle)."""
        parts = [self.output_grad(e).transpose(1, 2).reshape(-1, self.out_dim) for e in es if e is not None]
        g = parts[0] if len(parts) == 1 else torch.cat(parts, dim=0)
        return gram(g, packed)


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
