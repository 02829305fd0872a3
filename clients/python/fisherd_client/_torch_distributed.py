"""Data parallelism for the ``Preconditioner`` with ``torch.distributed``, and blocks over several daemons.

Two modes give the single-process update on the merged batch of all ranks (B = Σ_r b_r examples):

* ``'allreduce'``: the ranks all-reduce their statistics with torch (gloo, nccl, ...) and rank 0 alone
  talks to fisherd; it broadcasts Δθ to the others.
* ``'workers'``: every rank is one worker of a W-worker session (``SessionConfig.workers`` = W,
  ``worker_id`` = rank); rank 0 opens the session and broadcasts its id; every rank sends its own
  statistics and receives the same update from the daemon, which merges them (math.md).

How the sums merge (math.md, "Statistics contributions"). Each rank r holds, for its b_r examples, the
sums of the rows as held under the reduction (r_n = g_n/b_r for 'mean'); with m_r = b_r ('mean') or 1
('sum') the per-example sums are S_r = m_r·sum_r, Q_r = m_r²·sum_squares_r, F_r = m_r²·sampled_label_squares_r,
U_r = m_r·factor_squares_r and M2_r' = m_r²·centred_squares_r. All of them but M2 merge by addition.
The centred M2 merges by Chan, Golub & LeVeque's rule, ḡ_r = S_r/b_r, ḡ = S/B:

    M2 = Σ_r M2_r' + Σ_r b_r (ḡ_r − ḡ)∘(ḡ_r − ḡ) = Σ_r [M2_r' + b_r (ḡ_r − ḡ)∘(ḡ_r − ḡ)]

so two all-reduces do it without cancellation: the first sums S (and B), which gives ḡ on every rank;
then each rank forms its bracket (a sum of non-negative terms) and the second sums the brackets.
(The one-round alternative Σ_r S_r²/b_r − S²/B subtracts two numbers of size B|ḡ|² to get one of size
Bσ², the cancellation math.md warns about.) The merged sums are then given back the merged batch's
convention (M = B for 'mean', 1 for 'sum'): sum = S/M, sum_squares = Q/M², centred_squares = M2/M²,
sampled_label_squares = F/M², factor_squares = U/M. The Kronecker ``factors`` of a layer are sums over
examples at the per-example scale (``Preconditioner.kronecker_factors``): they merge by addition, their
``samples_per_example``/``*_version`` entries must agree. The step's loss is the b_r-weighted mean.

Sender-agnostic: the merge acts on ``LayerStatistics`` (moments and factors) before the preconditioner's
sender turns them into a ``StepInput``, so whatever a sender sends from them is that of the merged batch.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch
import torch.distributed as dist

from .config import Block

_PER_EXAMPLE_POWER = {'sum': 1, 'sum_squares': 2, 'centred_squares': 2, 'sampled_label_squares': 2, 'factor_squares': 1}
_ADDED = ('sum', 'sum_squares', 'sampled_label_squares', 'factor_squares')
_EQUAL_FACTOR_KEYS = ('samples_per_example',)

DATA_PARALLEL_MODES = ('auto', 'off', 'allreduce', 'workers')


def resolve_mode(mode: str, group: Any) -> str:
    """'off', 'allreduce' or 'workers': 'auto' is 'allreduce' when torch.distributed is initialized with
    more than one rank in ``group``, else 'off'."""
    if mode not in DATA_PARALLEL_MODES:
        raise ValueError(f"data_parallel must be one of {', '.join(map(repr, DATA_PARALLEL_MODES))}, got {mode!r}")
    initialized = dist.is_available() and dist.is_initialized()
    if mode == 'auto':
        return 'allreduce' if initialized and dist.get_world_size(group) > 1 else 'off'
    if mode != 'off' and not initialized:
        raise ValueError(f"data_parallel={mode!r} needs torch.distributed initialized (dist.init_process_group) first")
    return mode


class DataParallel:
    """The process group's collectives the preconditioner needs (on the CPU for gloo, on the current CUDA
    device for nccl)."""

    def __init__(self, mode: str, group: Any = None) -> None:
        self.mode = mode
        self.group = group
        self.rank = dist.get_rank(group)
        self.world_size = dist.get_world_size(group)
        backend = dist.get_backend(group)
        self.device = torch.device('cuda', torch.cuda.current_device()) if backend == 'nccl' else torch.device('cpu')
        self.root = self._global_rank(0)

    def _global_rank(self, group_rank: int) -> int:
        if self.group is None:
            return group_rank
        get = getattr(dist, 'get_global_rank', None) or dist.distributed_c10d._get_global_rank  # torch < 2.0
        return int(get(self.group, group_rank))

    # ---- collectives -----------------------------------------------------------------------------------

    def broadcast_object(self, value: Any) -> Any:
        """Rank 0's ``value`` on every rank (small objects: session ids, update headers)."""
        box = [value if self.rank == 0 else None]
        dist.broadcast_object_list(box, src=self.root, group=self.group)
        return box[0]

    def broadcast_tensor(self, tensor: torch.Tensor) -> torch.Tensor:
        """Rank 0's ``tensor`` (same shape and dtype everywhere) on every rank, on ``tensor``'s device."""
        moved = tensor.to(self.device)
        dist.broadcast(moved, src=self.root, group=self.group)
        return moved.to(tensor.device)

    def _sum(self, tensors: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Element-wise sums over the ranks, one flat float64 all-reduce."""
        if not tensors:
            return []
        flat = torch.cat([t.reshape(-1).to(device=self.device, dtype=torch.float64) for t in tensors])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM, group=self.group)
        out, offset = [], 0
        for t in tensors:
            out.append(flat[offset:offset + t.numel()].reshape(t.shape).to(t.device))
            offset += t.numel()
        return out

    # ---- statistics ------------------------------------------------------------------------------------

    def all_reduce_statistics(self, layers: Sequence[Any], reduction: str, count: int,
                              loss: Optional[float]) -> Tuple[List[Any], int, Optional[float]]:
        """(layers, B, loss) of the merged batch, on every rank (see the module documentation)."""
        header = torch.tensor([float(count), float(count) * (loss if loss is not None else 0.0),
                               1.0 if loss is not None else 0.0], dtype=torch.float64)
        m = float(count) if reduction == 'mean' else 1.0
        plain: List[torch.Tensor] = []
        where: List[Tuple[int, str, Any]] = []  # (layer, kind, name) for every summed tensor
        ks: List[float] = []
        for i, layer in enumerate(layers):
            moments = layer.moments
            for name in _ADDED:
                value = getattr(moments, name)
                if value is not None:
                    plain.append(_tensor(value) * m ** _PER_EXAMPLE_POWER[name])
                    where.append((i, 'moments', name))
            if moments.sampled_label_squares is not None:
                ks.append(float(moments.samples_per_example))
            for key, value in sorted((layer.factors or {}).items()):
                if key in _EQUAL_FACTOR_KEYS or key.endswith('_version'):
                    ks.append(float(value))
                elif isinstance(value, torch.Tensor) or isinstance(value, (int, float)):
                    plain.append(_tensor(value))
                    where.append((i, 'factors', key))
        # Quantities that must agree over the ranks (K, versions): their sums and sums of squares.
        agree = torch.tensor(ks + [k * k for k in ks], dtype=torch.float64)
        summed = self._sum([header, agree, *plain])
        header_sum, agree_sum, plain_sum = summed[0], summed[1], summed[2:]
        total = int(round(float(header_sum[0])))
        n = len(ks)
        for j in range(n):
            s, q = float(agree_sum[j]), float(agree_sum[n + j])
            if abs(q * self.world_size - s * s) > 1e-9 * max(1.0, s * s):
                raise ValueError('fisherd: the ranks disagree on samples_per_example (or a factor version) in one step')
        merged_loss = float(header_sum[1]) / float(header_sum[0]) if int(round(float(header_sum[2]))) == self.world_size else None

        values: Dict[Tuple[int, str, Any], torch.Tensor] = dict(zip(where, plain_sum))
        centred: Dict[int, torch.Tensor] = {}
        brackets: List[torch.Tensor] = []
        order: List[int] = []
        for i, layer in enumerate(layers):
            if layer.moments.centred_squares is None:
                continue
            own = _tensor(layer.moments.sum) * m
            mean_all = values[(i, 'moments', 'sum')] / total
            delta = own / count - mean_all
            brackets.append(_tensor(layer.moments.centred_squares) * m * m + count * delta * delta)
            order.append(i)
        for i, value in zip(order, self._sum(brackets)):
            centred[i] = value

        big_m = float(total) if reduction == 'mean' else 1.0
        out = []
        for i, layer in enumerate(layers):
            changes: Dict[str, Any] = {'count': total}
            for name in _ADDED:
                if (i, 'moments', name) in values:
                    changes[name] = values[(i, 'moments', name)] / big_m ** _PER_EXAMPLE_POWER[name]
            if i in centred:
                changes['centred_squares'] = (centred[i] / (big_m * big_m)).clamp_min(0)
            moments = replace(layer.moments, **changes)
            factors = None
            if layer.factors is not None:
                factors = dict(layer.factors)
                for key, value in layer.factors.items():
                    if (i, 'factors', key) in values:
                        merged = values[(i, 'factors', key)]
                        factors[key] = merged if isinstance(value, torch.Tensor) else type(value)(
                            round(float(merged)) if isinstance(value, int) else float(merged))
            out.append(replace(layer, moments=moments, factors=factors))
        return out, total, merged_loss


def _tensor(value: Any) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.to(torch.float64)
    return torch.as_tensor(value, dtype=torch.float64)


# ---- several daemons --------------------------------------------------------------------------------------

def place_blocks(blocks: Sequence[Block], daemons: int) -> List[int]:
    """The daemon index of every block: greedy largest-first (longest-processing-time) balancing of the
    block sizes; ties go to the earlier block and to the daemon with the lower index. Deterministic, so
    every rank and every restart places the blocks alike."""
    if daemons < 1:
        raise ValueError('urls must name at least one daemon')
    if daemons > len(blocks):
        raise ValueError(f'{daemons} daemons but only {len(blocks)} parameter blocks: give at most {len(blocks)} urls')
    load = [0] * daemons
    placement = [0] * len(blocks)
    for index in sorted(range(len(blocks)), key=lambda j: (-blocks[j].size, j)):
        target = min(range(daemons), key=lambda d: (load[d], d))
        placement[index] = target
        load[target] += blocks[index].size
    return placement
