"""EKFAC (eigenvalue-corrected K-FAC, George et al. 2018) on the client's side: the eigenbasis squares a
``KroneckerSender(eigenvalue_corrected=True)`` sends with each Kronecker block's factors.

docs/math.md, "Kronecker factors (K-FAC)": an EKFAC block divides the gradient in the Kronecker eigenbasis
of its factors by ``s + λ``, where s is the (bias-corrected EMA of the) second moment of the per-example
gradients in that basis — a fourth moment that the factor sums do not determine. The daemon owns the basis
(the eigendecompositions Ā = V_A Λ_A V_Aᵀ, Ḡ = V_G Λ_G V_Gᵀ, refreshed every ``refresh_every`` factor
updates); the client projects on it:

* After every step the update's diagnostic ``layer.<block>.basisVersion`` names the installed basis. When
  it changes, ``EkfacState.after_step`` asks that block's daemon for it (``Client.kronecker_bases``, one
  block per request) and keeps Q_G = V_Gᵀ and Q_A = V_Aᵀ (eigenvectors as rows, float32) on the layer's
  device.
* During the next step's backward passes the hooks project the gradient rows of the estimate the rule
  preconditions with (ngd: the K sampled-label rows per example, or the C Hessian-square-root columns with
  ``fisher_source='exact'``; efgd: the data-label rows) and accumulate
  ``S[o, i] = Σ_j ((Q_G G_j Q_Aᵀ)_{o,i})²`` with G_j = Σ_r e_{j,r} ā_{n(j),r}ᵀ (out × in', bias column
  last), at math.md's per-example scale; its count is the output-gradient factor's (b·K, b, b).

  - No weight sharing (nn.Linear on (b, in) inputs, R = 1): G_j = e_j ā_nᵀ is rank one, so
    S = ((E Q_Gᵀ)²)ᵀ ((Ā Q_Aᵀ)²): one matrix product, O(b·(out² + in'²)) for the projections.
  - Weight sharing (nn.Conv2d: R output positions of the unfolded patches; a Linear on (b, T, in)
    sequences): the per-example matrices are needed, projected first (ẽ = e Q_Gᵀ, ã = ā Q_Aᵀ, then
    Q_G G_n Q_Aᵀ = Σ_r ẽ_{n,r} ã_{n,r}ᵀ, ``einsum('bro,bri->boi')`` in chunks of examples of at most
    ``CHUNK_ELEMENTS`` elements), squared and summed: O(b·R·out·in') flops, the cost of the layer's weight
    gradient itself, once per row set (K times for K sampled labels). Fine for small and medium layers;
    for large convolutions it is the dominant cost of a step.
* The squares travel with the factors (``KroneckerFactorSums.eigenbasis_squares``, ``eigenbasis_count``,
  ``basis_version``; of the same steps as the factors: summed over the T_stat steps since the last send
  (no refresh happens in between, so they share a basis), or with ``factors_from='sending_step'`` the
  sending step's alone, none computed on the steps between). Before a block's first basis (version 0) none are sent. A refresh
  happens inside the step whose factor update makes it due (factor updates 1, 1 + T_inv, …); the squares
  of that step would be of the old basis and the daemon drops them, so the hooks do not compute them
  (from the diagnostic ``layer.<block>.factorUpdates``).

With both Fishers tracked (e.g. ngd with ``track.empirical_fisher``) the daemon applies the squares to both
estimates' blocks (proto ``KroneckerFactors.eigenbasis_squares``); they are the rule's estimate's (rows and
basis), so the other estimate's EKFAC read-outs (its per-layer diagnostics) use them too.

Squares of a basis that is no longer installed are refused by the daemon (INVALID_CONFIG naming
``...eigenbasis_squares.basisVersion``); the state drops its bases whenever the link's session changes
(``load_state_dict``, a session opened again) or the daemon resumed an older checkpoint (a resume gap),
so it does not send them; should a daemon still refuse them (a retried step after a resume gap), the
preconditioner sends that step again without squares (``without_squares``; logged) unless ``strict``.
Not supported:
``data_parallel='allreduce'`` (ranks other than 0 hold no connection to fetch the basis; ``'workers'``
works: each rank fetches on its own connection and the daemon adds the workers' squares).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

import torch

from ._torch_hooks import CHUNK_ELEMENTS, AffineHandler
from .config import Kronecker
from .errors import FisherdError, fisherd_error
from .results import KroneckerBasis, Update
from .statistics import KroneckerFactorSums, KroneckerStatistics
from .step_input import StepInput

if TYPE_CHECKING:  # pragma: no cover
    from ._torch_preconditioner import Preconditioner, _MicroBatch

log = logging.getLogger('fisherd_client.torch')


@dataclass(frozen=True)
class DeviceBasis:
    """One block's installed eigenbasis as the hooks use it: Q_G = V_Gᵀ (out × out) and Q_A = V_Aᵀ
    (in' × in'), eigenvectors as rows, float32 on the layer's device, of decomposition ``version`` of
    session ``session``."""

    version: int
    session: Optional[str]
    output_vectors: torch.Tensor
    input_vectors: torch.Tensor


def eigenbasis_squares(a: torch.Tensor, e: torch.Tensor, output_vectors: torch.Tensor, input_vectors: torch.Tensor) -> torch.Tensor:
    """Σ_n (Q_G G_n Q_Aᵀ)∘(Q_G G_n Q_Aᵀ) with G_n = Σ_r e_{n,r} ā_{n,r}ᵀ, for ā (b, R, in') and e (b, R, out)
    (rows as given; Q as rows, any dtype: cast to ā's); (out, in') in ā's dtype."""
    dtype = a.dtype
    qa = input_vectors.to(device=a.device, dtype=dtype)
    qg = output_vectors.to(device=e.device, dtype=dtype)
    pa = torch.matmul(a, qa.T)  # rows (Q_A ā_{n,r})ᵀ
    pe = torch.matmul(e.to(dtype), qg.T)  # rows (Q_G e_{n,r})ᵀ
    if a.shape[1] == 1:
        pe2, pa2 = pe[:, 0], pa[:, 0]
        return (pe2 * pe2).T @ (pa2 * pa2)
    b, out_dim, order = a.shape[0], e.shape[2], a.shape[2]
    chunk = max(1, CHUNK_ELEMENTS // max(1, out_dim * order))
    total = a.new_zeros(out_dim, order)
    for start in range(0, b, chunk):
        g = torch.einsum('bro,bri->boi', pe[start:start + chunk], pa[start:start + chunk])
        total += (g * g).sum(dim=0)
    return total


def add_squares(x: KroneckerFactorSums, y: KroneckerFactorSums, into: KroneckerFactorSums) -> KroneckerFactorSums:
    """``into`` (``add_factor_sums(x, y)``) with the EKFAC squares of x and y: summed with their counts when
    both are of the same basis, the newer basis's alone otherwise (the squares have a count of their own)."""
    parts = [f for f in (x, y) if f.eigenbasis_squares is not None]
    if not parts:
        return into
    version = max(int(f.basis_version or 0) for f in parts)
    parts = [f for f in parts if int(f.basis_version or 0) == version]
    into.eigenbasis_squares = parts[0].eigenbasis_squares if len(parts) == 1 else parts[0].eigenbasis_squares + parts[1].eigenbasis_squares
    into.eigenbasis_count = sum(float(f.eigenbasis_count or 0) for f in parts)
    into.basis_version = version
    return into


def squares_fields(factors: Dict[str, Any], out: KroneckerFactorSums) -> None:
    """Copies the squares of ``Preconditioner.kronecker_factors``' dict (when present) into ``out``."""
    if 'eigenbasis_squares' in factors:
        out.eigenbasis_squares = factors['eigenbasis_squares']
        out.eigenbasis_count = factors['eigenbasis_count']
        out.basis_version = factors['basis_version']


def has_squares(contribution: StepInput) -> bool:
    return any(isinstance(s, KroneckerStatistics) and s.factors is not None and s.factors.eigenbasis_squares is not None
               for s in contribution.statistics or [])


def without_squares(contribution: StepInput) -> StepInput:
    """The contribution without EKFAC squares (a step sent again after the daemon refused their basis)."""
    statistics = []
    for s in contribution.statistics or []:
        if isinstance(s, KroneckerStatistics) and s.factors is not None and s.factors.eigenbasis_squares is not None:
            s = replace(s, factors=replace(s.factors, eigenbasis_squares=None, eigenbasis_count=None, basis_version=None))
        statistics.append(s)
    return replace(contribution, statistics=statistics)


def stale_basis(error: FisherdError) -> bool:
    """Whether the daemon refused EKFAC squares of a basis it does not hold (INVALID_CONFIG naming basisVersion)."""
    return error.code == 'INVALID_CONFIG' and not error.local and (error.field or '').endswith('basisVersion')


class EkfacState:
    """The eigenbases a ``KroneckerSender(eigenvalue_corrected=True)`` projects on and the hooks that
    project (see the module's note). Owned by the sender (``reset`` with it); ``bind`` attaches it to the
    preconditioner that uses the sender."""

    def __init__(self, refresh_every: int) -> None:
        self.refresh_every = refresh_every
        #: The basis held per block (absent: none yet, or dropped).
        self.bases: Dict[str, DeviceBasis] = {}
        #: Per block, the factor updates the daemon's factors hold after the last step (its EMA clock t).
        self.factor_updates: Dict[str, int] = {}
        #: Which tracked estimate's basis and gradient rows: 'fisher' or 'empirical_fisher'.
        self.kind = 'fisher'
        #: Which rows: 'sampled', 'exact' (the Fisher's) or 'empirical' (the data labels').
        self.rows = 'sampled'
        self._pre: Optional['Preconditioner'] = None
        #: How many bases were fetched (tests, logs).
        self.fetches = 0
        self._gaps = 0

    def reset(self) -> None:
        """A new session: no basis held."""
        self.bases, self.factor_updates = {}, {}

    # ---- binding ---------------------------------------------------------------------------------------

    def bind(self, pre: 'Preconditioner', data_parallel: str) -> None:
        """Checks that the preconditioner can feed EKFAC and chooses the rows (before any session opens)."""
        if data_parallel == 'allreduce':
            raise ValueError("KroneckerSender(eigenvalue_corrected=True) does not support data_parallel='allreduce' (ranks "
                             "other than 0 hold no connection to fetch the eigenbasis): use data_parallel='workers'")
        name = pre.optimizer.name
        if name == 'ngd' or (name != 'efgd' and pre._need_fisher):
            self.kind, self.rows = 'fisher', pre.fisher_source
        elif name == 'efgd' or pre._need_squares:
            self.kind, self.rows = 'empirical_fisher', 'empirical'
        else:
            raise ValueError(f"KroneckerSender(eigenvalue_corrected=True) needs a tracked Fisher: optimizer {name!r} tracks "
                             "none (use ngd or efgd, or track=Track(fisher=True) / Track(empirical_fisher=True))")
        self._pre = pre
        self.reset()

    # ---- the hooks -------------------------------------------------------------------------------------

    def _block(self, i: int) -> str:
        assert self._pre is not None
        return self._pre._block_name(self._pre.handlers[i])

    def _session_of(self, block: str) -> Optional[str]:
        pre = self._pre
        assert pre is not None
        links = pre._links
        if not links:
            return None
        link = links[pre.placement[block]]
        return link.session_id if link.client is not None else None

    def basis(self, i: int) -> Optional[DeviceBasis]:
        """The basis handler i's squares are computed in this step; None when there is none, it is of
        another session, or the next factor update installs a new one (the squares would be dropped)."""
        block = self._block(i)
        held = self.bases.get(block)
        if held is None or held.session != self._session_of(block):
            return None
        updates = self.factor_updates.get(block)
        if updates is not None and updates % self.refresh_every == 0:
            return None
        return held

    def _squares(self, i: int, handler: AffineHandler, captured: Sequence[torch.Tensor],
                 es: Sequence[Optional[torch.Tensor]]) -> Optional[torch.Tensor]:
        basis = self.basis(i)
        if basis is None or all(e is None for e in es):
            return None
        a, e = handler._pairs(captured, es)  # a (b, in, R) without the bias's 1, e (b, out, R)
        a = a.transpose(1, 2)
        if handler.has_bias:  # ā = [a; 1]
            a = torch.cat([a, a.new_ones(a.shape[0], a.shape[1], 1)], dim=2)
        return eigenbasis_squares(a, e.transpose(1, 2), basis.output_vectors, basis.input_vectors).double()

    def on_fisher_pass(self, batch: '_MicroBatch', i: int, handler: AffineHandler, captured: Sequence[torch.Tensor],
                       es: Sequence[Optional[torch.Tensor]]) -> None:
        """One sampled-label pass (or one Hessian-square-root column) of a micro-batch: its rows' squares
        (per-example scale already) are kept with the micro-batch until its backward has run."""
        if self.rows == 'empirical':
            return
        s = self._squares(i, handler, captured, es)
        if s is not None:
            batch.ekfac[i] = batch.ekfac[i] + s if i in batch.ekfac else s

    def on_reduce(self, entry: Dict[str, Any], batch: '_MicroBatch', i: int, handler: AffineHandler,
                  captured: Sequence[torch.Tensor], es: Sequence[Optional[torch.Tensor]], b: int) -> None:
        """A micro-batch of b examples is reduced into the step's Kronecker entry of handler i: the data
        rows' squares (efgd; as the backward held e: scaled in ``factor_fields``) or the Fisher passes' kept
        ones, with their counts (b, or b·K)."""
        if self.rows == 'empirical':
            s, count = self._squares(i, handler, captured, es), b
        else:
            s, count = batch.ekfac.get(i), b * batch.samples
        if s is None:
            return
        entry['Q'] = entry['Q'] + s if 'Q' in entry else s
        entry['Q_count'] = entry.get('Q_count', 0) + count
        entry['Q_version'] = self.basis(i).version  # type: ignore[union-attr]

    def factor_fields(self, entry: Dict[str, Any], out: Dict[str, Any], b: int, reduction: str) -> None:
        """Adds ``eigenbasis_squares`` (out·in', row o then column i, bias column last; math.md's per-example
        scale: a mean-reduced loss's data-label rows times b²), ``eigenbasis_count`` and ``basis_version``
        to ``Preconditioner.kronecker_factors``' dict of a block that has them."""
        if 'Q' not in entry:
            return
        scale = float(b * b) if self.rows == 'empirical' and reduction == 'mean' else 1.0
        out.update(eigenbasis_squares=(entry['Q'] * scale).reshape(-1), eigenbasis_count=entry['Q_count'],
                   basis_version=entry['Q_version'])

    # ---- after the step --------------------------------------------------------------------------------

    def after_step(self, updates: Sequence[Optional[Update]]) -> None:
        """Reads each EKFAC block's ``basisVersion`` and ``factorUpdates`` from its daemon's update and
        fetches the basis when it changed (block by block: one large reply in flight per connection)."""
        pre = self._pre
        if pre is None or not pre._links:
            return
        if pre.counters.resume_gaps != self._gaps:  # a daemon went back to an older checkpoint: fetch again
            self._gaps = pre.counters.resume_gaps
            self.bases = {}
        for k, update in enumerate(updates):
            if update is None:
                continue
            link = pre._links[k]
            for block in pre._link_blocks[k]:
                structure = block.structure
                if not (isinstance(structure, Kronecker) and structure.eigenvalue_corrected):
                    continue
                values = update.diagnostics.values
                at = f'layer.{block.name}'
                if f'{at}.factorUpdates' in values:
                    self.factor_updates[block.name] = int(values[f'{at}.factorUpdates'])
                version = values.get(f'{at}.basisVersion')
                if version is None:
                    continue
                held = self.bases.get(block.name)
                session = link.session_id
                if held is not None and held.version == int(version) and held.session == session:
                    continue
                self.bases.pop(block.name, None)
                if int(version) == 0 or link.client is None:
                    continue
                self._fetch(pre, link, block.name, session)

    def _fetch(self, pre: 'Preconditioner', link: Any, block: str, session: Optional[str]) -> None:
        try:
            bases = link.client.kronecker_bases(block)
        except FisherdError as e:
            if pre.strict or e.local:
                raise
            log.warning('fisherd: fetching the eigenbasis of block %s failed (%s); its squares wait for the next step', block, e)
            return
        chosen = self._choose(bases, block)
        if chosen.version == 0:
            return
        device = dict(pre._block_params[block])['weight'].device
        self.bases[block] = DeviceBasis(
            version=chosen.version, session=session,
            output_vectors=torch.from_numpy(chosen.output_vectors).to(device),
            input_vectors=torch.from_numpy(chosen.input_vectors).to(device))
        self.fetches += 1

    def _choose(self, bases: List[KroneckerBasis], block: str) -> KroneckerBasis:
        for basis in bases:
            if basis.kind == self.kind:
                return basis
        raise fisherd_error('INTERNAL', f'the daemon sent no {self.kind} eigenbasis for block {block!r} '
                           f'(got {", ".join(b.kind for b in bases) or "none"})', field='estimates.kronecker_bases')


__all__ = ['DeviceBasis', 'EkfacState', 'add_squares', 'eigenbasis_squares', 'has_squares', 'squares_fields', 'stale_basis',
           'without_squares']
