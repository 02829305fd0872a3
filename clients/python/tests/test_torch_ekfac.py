"""EKFAC (``KroneckerSender(eigenvalue_corrected=True)``, ``Client.kronecker_bases``) against float64
references computed here from the definitions (docs/math.md, "Kronecker factors (K-FAC)", the EKFAC bullet).

(The client API, ``Client.kronecker_bases`` and stale bases: tests/test_kronecker_bases.py.)
* The squares the preconditioner sends: Σ_j (Q_G G_j Q_Aᵀ)² over per-example gradient matrices G_j taken
  by autograd one example (and sampled label) at a time, projected in float64 on the basis the preconditioner
  holds (its float32 vectors); relative 1e-10 (both sides float64 on the same basis).
* The daemon's EKFAC update: a numpy float64 model of math.md — factor EMAs with bias correction, the basis
  of the first refresh (``refresh_every`` 1000: it stays), s the bias-corrected EMA of ŝ = squares/count
  over the factor updates after it, Δθ = −γ V_G ((V_Gᵀ X V_A) ⊘ (s + λ)) V_Aᵀ (K-FAC's λ_G λ_A + λ before
  any squares); relative 1e-5 (statistics and Δθ travel as float32, the basis the client projects on is
  the daemon's float32-rounded one, ~1e-7 each).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fisherd_client import FisherdError, Kronecker, LocalDaemon, Optimizer  # noqa: E402
from fisherd_client.torch import Categorical, KroneckerSender  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402


def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.linalg.norm(got - want) / np.linalg.norm(want))


def to_matrix(v: np.ndarray, out_dim: int, order: int) -> np.ndarray:
    """A block vector [vec W, c] as the out × in' matrix [W | c]."""
    inputs = order - 1
    return np.concatenate([v[:out_dim * inputs].reshape(out_dim, inputs), v[out_dim * inputs:, None]], axis=1)


def from_matrix(X: np.ndarray) -> np.ndarray:
    return np.concatenate([X[:, :-1].reshape(-1), X[:, -1]])


def gradient_matrix(loss: torch.Tensor, layer: nn.Module) -> np.ndarray:
    """∇loss with respect to [W | c] (out × in'; a convolution's weight flattened as weight.flatten(1))."""
    w, c = torch.autograd.grad(loss, [layer.weight, layer.bias], retain_graph=True)
    return np.concatenate([w.reshape(w.shape[0], -1).numpy(), c.numpy()[:, None]], axis=1)


def held_basis(pre, block: str) -> Tuple[np.ndarray, np.ndarray, int]:  # type: ignore[no-untyped-def]
    """(Q_G, Q_A, version) the preconditioner projects on (rows = eigenvectors) as float64."""
    basis = pre.sender.ekfac.bases[block]
    return basis.output_vectors.double().numpy(), basis.input_vectors.double().numpy(), basis.version


def projected_squares(grads: List[np.ndarray], QG: np.ndarray, QA: np.ndarray) -> np.ndarray:
    return sum((QG @ g @ QA.T) ** 2 for g in grads)


# ---- the squares the preconditioner sends ---------------------------------------------------------------

def test_linear_squares_are_the_sampled_per_example_gradients_projected(daemon: LocalDaemon) -> None:
    """Linear(4,5) → Tanh → Linear(5,3), ngd with K = 2 sampled labels, b = 6, refresh_every 4: from step 2
    each block's squares are Σ_{n,k} (Q_G G_{n,k} Q_Aᵀ)² over the per-(example, label) gradients, count b·K,
    in the basis fetched after step 1 (version 1); none at step 1 (no basis yet)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    b, K, seed = 6, 2, 7
    labels_gen = torch.Generator().manual_seed(seed)
    data = torch.Generator().manual_seed(1)
    sender = KroneckerSender(eigenvalue_corrected=True, refresh_every=4)
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=0.1), likelihood='cross_entropy',
                        samples=K, generator=torch.Generator().manual_seed(seed), sender=sender) as pre:
        assert pre.blocks[0].structure == Kronecker(5, 4, True, eigenvalue_corrected=True, refresh_every=4)
        assert pre.client.session.blocks[0].structure.eigenvalue_corrected  # as the daemon echoed it
        for step in (1, 2, 3):
            x = torch.randn(b, 4, dtype=torch.float64, generator=data)
            y = torch.randint(0, 3, (b,), generator=data)
            f = model(x)
            labels = Categorical().sample(f.detach(), K, labels_gen)
            with pre.paused():
                grads = {name: [gradient_matrix(F.cross_entropy(f[n:n + 1], labels[n:n + 1, k]), model[int(name)])
                                for n in range(b) for k in range(K)] for name in ('0', '2')}
            F.cross_entropy(f, y).backward()
            factors = pre.kronecker_factors()
            for name in ('0', '2'):
                if step == 1:
                    assert 'eigenbasis_squares' not in factors[name]
                    continue
                QG, QA, version = held_basis(pre, name)
                want = projected_squares(grads[name], QG, QA)
                got = factors[name]['eigenbasis_squares'].cpu().numpy().reshape(want.shape)
                assert relative_error(got, want) < 1e-10, (step, name)
                assert (factors[name]['eigenbasis_count'], factors[name]['basis_version']) == (b * K, version) == (b * K, 1)
            update = pre.step()
            assert update is not None and update.diagnostics.values['layer.0.basisVersion'] == 1
            model.zero_grad()
        assert sender.ekfac.fetches == 2  # version 1 of both blocks, once each


def test_conv2d_squares_are_the_per_example_gradients_projected(daemon: LocalDaemon) -> None:
    """Conv2d(2→3, 3×3, padding 1) → ReLU → Flatten → Linear(48→2), efgd (data labels), b = 4 on 4×4
    images, mean-reduced loss: the conv block's squares are Σ_n (Q_G G_n Q_Aᵀ)² over the true per-example
    gradients G_n = Σ_r e_{n,r} ā_{n,r}ᵀ (weight sharing: summed over the 16 positions before projecting,
    not K-FAC-expand's per-position terms), at the per-example scale (the hooks' e/b times b), count b;
    the Linear block's likewise."""
    torch.manual_seed(1)
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 2)).double()
    b = 4
    data = torch.Generator().manual_seed(2)
    outputs: Dict[str, torch.Tensor] = {}
    conv.register_forward_hook(lambda m, args, out: outputs.__setitem__('z', out))
    with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1),
                        sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=3)) as pre:
        for step in (1, 2):
            x = torch.randn(b, 2, 4, 4, dtype=torch.float64, generator=data)
            y = torch.randint(0, 2, (b,), generator=data)
            f = model(x)
            with pre.paused():
                losses = F.cross_entropy(f, y, reduction='none')
                grads = {name: [gradient_matrix(losses[n], model[int(name)]) for n in range(b)] for name in ('0', '3')}
                ez_grad = torch.autograd.grad(losses.sum(), outputs['z'], retain_graph=True)[0]
            F.cross_entropy(f, y).backward()
            factors = pre.kronecker_factors()
            if step == 2:
                for name in ('0', '3'):
                    QG, QA, version = held_basis(pre, name)
                    want = projected_squares(grads[name], QG, QA)
                    got = factors[name]['eigenbasis_squares'].cpu().numpy().reshape(want.shape)
                    assert relative_error(got, want) < 1e-10, name
                    assert (factors[name]['eigenbasis_count'], factors[name]['basis_version']) == (b, version) == (b, 1)
                # weight sharing matters: K-FAC-expand's per-position terms Σ_{n,r} (Q_G e_{n,r} ā_{n,r}ᵀ Q_Aᵀ)² differ
                QG, QA, _ = held_basis(pre, '0')
                a = F.unfold(x, 3, padding=1).transpose(1, 2).reshape(-1, 18).numpy()
                a = np.concatenate([a, np.ones((a.shape[0], 1))], axis=1)
                ez = ez_grad.permute(0, 2, 3, 1).reshape(-1, 3).numpy()
                expand = ((ez @ QG.T) ** 2).T @ ((a @ QA.T) ** 2)
                assert relative_error(expand, projected_squares(grads['0'], QG, QA)) > 1e-2
            assert pre.step() is not None
            model.zero_grad()


def test_exact_fisher_squares_follow_the_gaussian_closed_form(daemon: LocalDaemon) -> None:
    """fisher_source='exact' with 'mse' on one Linear(3→2) (σ² = d/2 = 1, H^{1/2} = I/σ): the columns give
    G_{n,c} = (u_c/σ) ā_nᵀ, so Σ_{n,c} (Q_G G_{n,c} Q_Aᵀ)²_{o,i} = (1/σ²) Σ_c Q_G[o,c]² Σ_n (Q_A ā_n)_i²
    = (1/σ²) Σ_n (Q_A ā_n)_i² for every o (Q_G's rows are unit vectors), count b (not b·C)."""
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(3, 2)).double()
    b = 5
    data = torch.Generator().manual_seed(3)
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=0.1), likelihood='mse',
                        fisher_source='exact', sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2)) as pre:
        for step in (1, 2):
            x = torch.randn(b, 3, dtype=torch.float64, generator=data)
            F.mse_loss(model(x), torch.zeros(b, 2, dtype=torch.float64)).backward()
            factors = pre.kronecker_factors()['0']
            if step == 2:
                QG, QA, version = held_basis(pre, '0')
                a = np.concatenate([x.numpy(), np.ones((b, 1))], axis=1)
                row = ((a @ QA.T) ** 2).sum(axis=0)
                want = np.tile(row, (2, 1)) * (QG ** 2).sum(axis=1, keepdims=True)
                np.testing.assert_allclose((QG ** 2).sum(axis=1), 1, atol=1e-6)
                got = factors['eigenbasis_squares'].numpy().reshape(2, 4)
                assert relative_error(got, want) < 1e-10
                assert (factors['eigenbasis_count'], factors['basis_version']) == (b, version) == (b, 1)
            assert pre.step() is not None
            model.zero_grad()


# ---- the daemon's update --------------------------------------------------------------------------------

class EkfacReference:
    """The daemon's EKFAC block as math.md defines it, in float64, for one Linear layer (bias) under ngd:
    factor EMAs with bias correction (T_stat-summed sums), the basis of factor update 1 (no later refresh),
    s the bias-corrected EMA of ŝ = Σ squares / Σ count over the later factor updates, ḡ the bias-corrected
    EMA of the batch means."""

    def __init__(self, beta: float, damping: float, step_size: float, factors_every: int) -> None:
        self.beta, self.damping, self.step_size, self.every = beta, damping, step_size, factors_every
        self.steps = 0
        self.A: Optional[np.ndarray] = None
        self.G: Optional[np.ndarray] = None
        self.factor_updates = 0
        self.g = 0.0
        self.s: Optional[np.ndarray] = None
        self.folds = 0
        self.VA: Optional[np.ndarray] = None
        self.VG: Optional[np.ndarray] = None
        self.lamA = self.lamG = None
        self.carried: Dict[str, object] = {}

    def step(self, a: np.ndarray, e: np.ndarray, rows_per_example: int, grad: np.ndarray) -> np.ndarray:
        """a (b, in') with the ones column, e (b·K, out) sampled rows example-major, grad the batch mean
        gradient (out × in'); returns Δθ as the out × in' matrix."""
        beta = self.beta
        self.steps += 1
        b = a.shape[0]
        c = self.carried
        c['A'] = c.get('A', 0) + a.T @ a
        c['a'] = c.get('a', 0) + b
        c['G'] = c.get('G', 0) + e.T @ e
        c['n'] = c.get('n', 0) + e.shape[0]
        if self.VA is not None:  # squares in the installed basis (the client holds it from factor update 1 on)
            pa = (a @ self.VA) ** 2  # (Q_A ā_n)² = (V_Aᵀ ā_n)²
            pe = (e @ self.VG) ** 2
            c['S'] = c.get('S', 0) + pe.T @ np.repeat(pa, rows_per_example, axis=0)
            c['Sn'] = c.get('Sn', 0) + e.shape[0]
        if (self.steps - 1) % self.every == 0:
            Ahat, Ghat = c['A'] / c['a'], c['G'] / c['n']  # type: ignore[operator]
            self.A = (1 - beta) * Ahat if self.A is None else beta * self.A + (1 - beta) * Ahat
            self.G = (1 - beta) * Ghat if self.G is None else beta * self.G + (1 - beta) * Ghat
            self.factor_updates += 1
            correction = 1 / (1 - beta ** self.factor_updates)
            if self.factor_updates == 1:  # the refresh: the basis of the bias-corrected factors
                self.lamA, self.VA = np.linalg.eigh(self.A * correction)
                self.lamG, self.VG = np.linalg.eigh(self.G * correction)
                self.lamA, self.lamG = np.clip(self.lamA, 0, None), np.clip(self.lamG, 0, None)
            elif 'S' in c:
                shat = c['S'] / c['Sn']  # type: ignore[operator]
                self.s = (1 - beta) * shat if self.s is None else beta * self.s + (1 - beta) * shat
                self.folds += 1
            self.carried = {}
        self.g = (1 - beta) * grad + beta * self.g
        X = self.g / (1 - beta ** self.steps)
        Y = self.VG.T @ X @ self.VA  # type: ignore[union-attr]
        if self.s is None:
            M = np.outer(self.lamG, self.lamA) + self.damping
        else:
            M = self.s / (1 - beta ** self.folds) + self.damping
        return -self.step_size * self.VG @ (Y / M) @ self.VA.T  # type: ignore[union-attr]


@pytest.mark.parametrize('factors_every', [1, 2])
def test_one_layer_ekfac_update_equals_the_float64_reference(daemon: LocalDaemon, factors_every: int) -> None:
    """Linear(4→3) softmax regression, ngd, K = 3, b = 8, β = 0.8, λ = 0.05, γ = 0.7, refresh_every 1000,
    T_stat 1 and 2 (squares summed over the steps since the last factors), 6 steps with fixed parameters:
    every update equals the reference's to 1e-5 relative, and from the first step with squares on it is
    not K-FAC's."""
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(4, 3)).double()
    layer = model[0]
    b, K, beta, damping, gamma, seed = 8, 3, 0.8, 0.05, 0.7, 4
    labels_gen = torch.Generator().manual_seed(seed)
    data = torch.Generator().manual_seed(6)
    ref = EkfacReference(beta, damping, gamma, factors_every)
    corrected = 0
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=gamma, damping=damping), ema_decay=beta,
                        likelihood='cross_entropy', samples=K, generator=torch.Generator().manual_seed(seed),
                        sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=1000, factors_every=factors_every)) as pre:
        for step in range(1, 7):
            x = torch.randn(b, 4, dtype=torch.float64, generator=data) * 1.5
            y = torch.randint(0, 3, (b,), generator=data)
            z = model(x)
            labels = Categorical().sample(z.detach(), K, labels_gen)
            with pre.paused():
                # sampled rows e_{n,k} = ∂ℓ(z_n, ỹ_{n,k})/∂z_n, example-major
                e = torch.stack([torch.autograd.grad(F.cross_entropy(z, labels[:, k], reduction='sum'), z, retain_graph=True)[0]
                                 for k in range(K)], dim=1).reshape(b * K, 3).numpy()
            loss = F.cross_entropy(z, y)
            loss.backward()
            grad = np.concatenate([layer.weight.grad.numpy(), layer.bias.grad.numpy()[:, None]], axis=1)
            a = np.concatenate([x.numpy(), np.ones((b, 1))], axis=1)
            want = ref.step(a, e, K, grad)
            update = pre.step(loss=float(loss))
            assert update is not None
            got = to_matrix(update.blocks['0'].astype(np.float64), 3, 5)
            assert relative_error(got, want) < 1e-5, (step, got / want)
            if ref.s is not None:
                kfac = -gamma * ref.VG @ ((ref.VG.T @ (ref.g / (1 - beta ** step)) @ ref.VA) / (np.outer(ref.lamG, ref.lamA) + damping)) @ ref.VA.T
                assert relative_error(got, kfac) > 1e-2, step
                corrected += 1
            assert update.diagnostics.values['layer.0.basisVersion'] == 1
            model.zero_grad()
    assert corrected == (5 if factors_every == 1 else 4)  # from step 2 (T_stat 1) or step 3 (T_stat 2) on


def test_training_loop_with_ekfac_writes_the_daemons_update_and_differs_from_kfac(daemon: LocalDaemon) -> None:
    """Conv2d → ReLU → Flatten → Linear → LayerNorm → Tanh → Linear, ngd, K = 1, trained 6 steps with
    SGD(lr=1) twice from the same start, with EKFAC (T_stat 2, T_inv 2) and with plain K-FAC: each step
    p.grad = −Δθ of the daemon's update; the first two steps' updates agree (no squares folded yet), later ones do not;
    new bases are fetched after factor updates 1 and 3 (steps 1 and 5)."""
    def build() -> nn.Module:
        torch.manual_seed(3)
        return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 5 * 5, 6),
                             nn.LayerNorm(6), nn.Tanh(), nn.Linear(6, 3))

    runs: List[List[np.ndarray]] = []
    for corrected in (True, False):
        model = build()
        data = torch.Generator().manual_seed(8)
        sender = KroneckerSender(eigenvalue_corrected=corrected, factors_every=2, refresh_every=2)
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        deltas = []
        with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=0.5, damping=0.1), likelihood='cross_entropy',
                            generator=torch.Generator().manual_seed(1), sender=sender) as pre:
            for step in range(1, 7):
                x = torch.randn(16, 1, 5, 5, generator=data)
                y = torch.randint(0, 3, (16,), generator=data)
                optimizer.zero_grad()
                F.cross_entropy(model(x), y).backward()
                update = pre.step()
                assert update is not None
                grads = torch.cat([p.grad.reshape(-1) for p in pre.parameters]).numpy()
                np.testing.assert_array_equal(grads, -update.delta)
                deltas.append(update.delta.astype(np.float64))
                optimizer.step()
            if corrected:
                assert sender.ekfac.fetches == 2 * 3  # 3 Kronecker blocks, versions 1 and 2
                assert {b: v.version for b, v in sender.ekfac.bases.items()} == {'0': 2, '3': 2, '6': 2}
        runs.append(deltas)
    ekfac, kfac = runs
    # steps 1 and 2: no squares folded yet (K-FAC's λ_G λ_A stand in), same parameters: the same update
    assert relative_error(ekfac[0], kfac[0]) == 0 and relative_error(ekfac[1], kfac[1]) == 0
    assert all(relative_error(e, k) > 1e-1 for e, k in zip(ekfac[2:], kfac[2:]))  # measured 0.59 … 1.7


def test_ekfac_options_are_checked(daemon: LocalDaemon) -> None:
    with pytest.raises(ValueError, match='refresh_every'):
        KroneckerSender(eigenvalue_corrected=True)
    with pytest.raises(ValueError, match='tikhonov'):
        KroneckerSender(eigenvalue_corrected=True, damping='pi', refresh_every=2)
    model = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(ValueError, match='tracked Fisher'):
        preconditioner(model, daemon.url, optimizer=Optimizer('sgd', step_size=0.1),
                       sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2)).__enter__()


def test_two_daemons_equal_one_with_ekfac(daemon: LocalDaemon, start_daemon) -> None:  # type: ignore[no-untyped-def]
    """The blocks spread over two daemons (independent sessions): each block's basis is fetched from the
    daemon that holds it, and the updates are the single daemon's, bit for bit (Kronecker blocks are
    independent; the reference backend is deterministic)."""
    second = start_daemon()

    def build() -> nn.Module:
        torch.manual_seed(3)
        return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.LayerNorm(64), nn.Linear(64, 8), nn.ReLU(),
                             nn.Linear(8, 3)).double()

    x = torch.randn(10, 1, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    y = torch.randint(0, 3, (10,), generator=torch.Generator().manual_seed(5))
    models = [build(), build()]
    options = dict(optimizer=Optimizer('ngd', step_size=0.7, damping=1e-2), likelihood='cross_entropy', samples=2, ema_decay=0.5,
                   data_parallel='off')
    one = preconditioner(models[0], daemon.url, generator=torch.Generator().manual_seed(6),
                         sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2), **options)
    two = preconditioner(models[1], [daemon.url, second.url], generator=torch.Generator().manual_seed(6),
                         sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2), **options)
    with one as p1, two as p2:
        assert len(set(p2.placement.values())) == 2
        for step in range(5):
            deltas = []
            for model, pre in zip(models, (p1, p2)):
                model.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                update = pre.step()
                assert update is not None
                deltas.append(update.delta)
                with torch.no_grad():
                    for p in pre.parameters:
                        p.add_(p.grad, alpha=-1.0)
            assert np.array_equal(deltas[0], deltas[1]), f'step {step + 1}: max diff {np.abs(deltas[0] - deltas[1]).max()}'
        for pre in (p1, p2):
            assert {b: v.version for b, v in pre.sender.ekfac.bases.items()} == {'0': 3, '4': 3, '6': 3}
            assert pre.sender.ekfac.fetches == 9


def test_two_workers_equal_one_process_with_ekfac(tmp_path, daemon) -> None:  # type: ignore[no-untyped-def]
    """data_parallel='workers' (gloo, 2 ranks with 30 and 34 of 64 examples, each loss the mean over its
    own): each rank fetches the bases on its own connection and sends the squares of its own rows
    (per-example scale, count b_r·K); the daemon adds them, so every step's Δθ is the single process's on
    the 64 examples. Three steps with T_inv 2: squares folded at step 2, a new basis at step 3. Tolerance:
    tests/test_torch_distributed.py's 2e-6 of max |Δθ| (float32 statistics summed in another order) for
    steps 1 and 2; 2e-5 at step 3 (measured 5e-6), after two updates whose 1e-6 differences moved the
    parameters and so the new factors, which the damped solve amplifies by up to λ_max(Ḡ⊗Ā)/λ (~300 here).

    Enough examples that the factors have no degenerate null space (in' = 49 for the Linear): EKFAC's
    update depends on the eigenvectors chosen inside a degenerate eigenspace (arbitrary, so two sessions
    with differently rounded factors would disagree) as soon as later gradients leave the span of the
    factors' data; with 12 examples it does (0.36 relative at step 2)."""
    from test_torch_distributed import DELTA_RTOL, _close, _run
    reference = _run(tmp_path, 'reference', [daemon.url], 'off', 'ngd', 1, steps=3, ekfac=2, shards=[30, 34])[0]
    ranks = _run(tmp_path, 'workers', [daemon.url], 'workers', 'ngd', 2, steps=3, ekfac=2, shards=[30, 34])
    assert reference['basis_versions'] == {'0': 2, '4': 2}
    for rank, record in enumerate(ranks):
        assert record['workers'] == [2] and record['basis_versions'] == {'0': 2, '4': 2}
        for step in range(3):
            _close(record['deltas'][step], reference['deltas'][step], DELTA_RTOL if step < 2 else 2e-5, f'rank {rank} step {step + 1} Δθ')


def test_allreduce_is_refused_clearly() -> None:
    from fisherd_client._torch_ekfac import EkfacState
    with pytest.raises(ValueError, match="data_parallel='workers'"):
        EkfacState(2).bind(None, 'allreduce')  # type: ignore[arg-type]


def test_bases_of_another_session_are_never_used(daemon: LocalDaemon) -> None:
    """load_state_dict onto another session (B's, at basis version 2) while holding version 1 of A's: the
    next step sends no squares (the daemon would refuse version 1, or take them in the wrong basis), then
    the preconditioner fetches B's basis and goes on."""
    def build() -> nn.Module:
        torch.manual_seed(6)
        return nn.Sequential(nn.Linear(3, 2)).double()

    data = torch.Generator().manual_seed(4)

    def batch(model: nn.Module) -> None:
        x = torch.randn(6, 3, dtype=torch.float64, generator=data)
        y = torch.randint(0, 2, (6,), generator=data)
        model.zero_grad()
        F.cross_entropy(model(x), y).backward()

    options = dict(optimizer=Optimizer('ngd', step_size=1.0, damping=0.1), likelihood='cross_entropy')
    b_model = build()
    with preconditioner(b_model, daemon.url, sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2), **options) as b:
        for _ in range(3):
            batch(b_model)
            b.step()
        state = b.state_dict()
        assert b.sender.ekfac.bases['0'].version == 2
        b.close()  # detached, resumable
        a_model = build()
        with preconditioner(a_model, daemon.url, sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=2), **options) as a:
            batch(a_model)
            a.step()
            assert a.sender.ekfac.bases['0'].version == 1
            a.load_state_dict(state)
            batch(a_model)
            assert 'eigenbasis_squares' not in a.kronecker_factors()['0']
            update = a.step()
            assert update is not None and update.step == 4 and update.diagnostics.values['layer.0.basisVersion'] == 2
            held = a.sender.ekfac.bases['0']
            assert (held.version, held.session) == (2, state['session_id'])
            for step in (5, 6):  # step 5: a refresh is due (factor update 5), no squares; step 6: squares of version 3
                batch(a_model)
                assert ('eigenbasis_squares' in a.kronecker_factors()['0']) == (step == 6)
                assert a.step().step == step


@pytest.mark.parametrize('strict', [False, True])
def test_a_refused_basis_version_is_sent_again_without_squares(daemon: LocalDaemon, strict: bool, caplog) -> None:  # type: ignore[no-untyped-def]
    """Squares of a version the daemon does not hold (as after a resume gap; simulated by relabelling the
    held basis): the daemon refuses them (INVALID_CONFIG naming basisVersion); the preconditioner sends the
    step again without them (logged), then fetches the installed basis; with strict=True the error raises."""
    from dataclasses import replace as dc_replace
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(3, 2)).double()
    data = torch.Generator().manual_seed(1)
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=0.1), likelihood='cross_entropy',
                        strict=strict, sender=KroneckerSender(eigenvalue_corrected=True, refresh_every=3)) as pre:
        for step in (1, 2):
            x = torch.randn(6, 3, dtype=torch.float64, generator=data)
            model.zero_grad()
            F.cross_entropy(model(x), torch.randint(0, 2, (6,), generator=data)).backward()
            if step == 2:
                held = pre.sender.ekfac.bases['0']
                pre.sender.ekfac.bases['0'] = dc_replace(held, version=held.version + 5)
                if strict:
                    with pytest.raises(FisherdError) as e:
                        pre.step()
                    assert e.value.code == 'INVALID_CONFIG' and e.value.field.endswith('basisVersion')
                    return
                with caplog.at_level('WARNING', logger='fisherd_client.torch'):
                    update = pre.step()
                assert 'again without eigenbasis squares' in caplog.text
                assert update is not None and update.step == 2
                assert pre.sender.ekfac.bases['0'].version == 1 and pre.sender.ekfac.fetches == 2
            else:
                pre.step()
