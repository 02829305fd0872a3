"""K-FAC through the Preconditioner (``KroneckerSender``) against float64 references computed here.

The reference follows docs/math.md "Kronecker factors (K-FAC)" from the definitions, without the hooks:
ā = [a; 1] (the layer's input with a 1 for the bias), e = ∂ℓ_n/∂z at the per-example scale (autograd to
the layer's output z, retained), Ā = Σ ā āᵀ / count, Ḡ = Σ e eᵀ / count (empirical: data labels, count
b; sampled: K labels drawn from the model with the same generator seed, count b·K; convolutions
K-FAC-expand over the unfolded patches, counts b·R and b), the factors summed over the T_stat steps since
the last send, and the update −γ (Ḡ ⊗ Ā + λI)⁻¹ ḡ as a dense float64 solve in the block's layout (torch's
parameters_to_vector([weight, bias]); the Kronecker product acts on the row-major vec of [W | c], output
factor outside). A diagonal block beside them (LayerNorm) gets −γ ḡ / (diag M + λ) with diag M from
per-example gradients (one backward per example). Tolerances: factors travel as float32 (relative 6e-8 a
value) and Δθ comes back as float32, so updates agree to 1e-5 relative (measured ~1e-7).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fisherd_client import (  # noqa: E402
    Block, Client, DampingAdaptation, FisherdError, Kronecker, LocalDaemon, Optimizer, SessionConfig, Track,
)
from fisherd_client.statistics import (  # noqa: E402
    DiagonalMoments, KroneckerStatistics, add_factor_sums, kronecker_statistics_from_pairs, pack_upper, unpack_upper,
)
from fisherd_client.torch import Categorical, KroneckerSender, Preconditioner  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402

RTOL = 1e-5



def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.linalg.norm(got - want) / np.linalg.norm(want))


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 5), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3)).double()


class Capture:
    """Forward hooks that keep each watched layer's input and output. (Reference gradients with respect to
    the outputs come from ``torch.autograd.grad`` inside ``pre.paused()``: on torch 1.13 a tensor hook
    also fires during ``autograd.grad``, which must not reach the preconditioner's statistics.)"""

    def __init__(self, layers: Dict[str, nn.Module]) -> None:
        self.inputs: Dict[str, torch.Tensor] = {}
        self.outputs: Dict[str, torch.Tensor] = {}
        self.handles = []
        for name, layer in layers.items():
            self.handles.append(layer.register_forward_hook(self._hook(name)))

    def _hook(self, name: str):  # type: ignore[no-untyped-def]
        def hook(module: nn.Module, args, out: torch.Tensor) -> None:  # type: ignore[no-untyped-def]
            self.inputs[name] = args[0].detach()
            self.outputs[name] = out
        return hook

    def remove(self) -> None:
        for h in self.handles:
            h.remove()


def kron_solve(G: np.ndarray, A: np.ndarray, damping: float, grad: np.ndarray, bias: bool) -> np.ndarray:
    """(G ⊗ A + λI)⁻¹ ḡ for a block vector in torch's layout [vec W, c] (dense float64)."""
    out_dim, order = G.shape[0], A.shape[0]
    x = to_matrix(grad, out_dim, order, bias).reshape(-1)
    M = np.kron(G, A) + damping * np.eye(out_dim * order)
    return from_matrix(np.linalg.solve(M, x).reshape(out_dim, order), bias)


def kron_matvec(G: np.ndarray, A: np.ndarray, v: np.ndarray, bias: bool) -> np.ndarray:
    X = to_matrix(v, G.shape[0], A.shape[0], bias)
    return from_matrix(G @ X @ A, bias)


def to_matrix(v: np.ndarray, out_dim: int, order: int, bias: bool) -> np.ndarray:
    if not bias:
        return v.reshape(out_dim, order)
    inputs = order - 1
    return np.concatenate([v[:out_dim * inputs].reshape(out_dim, inputs), v[out_dim * inputs:, None]], axis=1)


def from_matrix(X: np.ndarray, bias: bool) -> np.ndarray:
    return np.concatenate([X[:, :-1].reshape(-1), X[:, -1]]) if bias else X.reshape(-1)


def with_ones(a: torch.Tensor) -> np.ndarray:
    a = a.reshape(-1, a.shape[-1]).numpy()
    return np.concatenate([a, np.ones((a.shape[0], 1))], axis=1)


class Reference:
    """The daemon's state as math.md defines it (ema_decay 0): per Kronecker block the factors of the last
    factor step (sums since the previous one), per diagonal block this step's diagonal estimate."""

    def __init__(self, kron: Dict[str, Tuple[nn.Module, bool]], factors_every: int) -> None:
        self.kron = kron
        self.every = factors_every
        self.step = 0
        self.carried: Dict[str, Dict[str, object]] = {}
        self.factors: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}

    def add(self, name: str, A: np.ndarray, a_count: float, G: np.ndarray, g_count: float) -> None:
        c = self.carried.get(name)
        self.carried[name] = {'A': A, 'a': a_count, 'G': G, 'g': g_count} if c is None else {
            'A': c['A'] + A, 'a': c['a'] + a_count, 'G': c['G'] + G, 'g': c['g'] + g_count}

    def end_step(self) -> None:
        self.step += 1
        if (self.step - 1) % self.every == 0:
            for name, c in self.carried.items():
                self.factors[name] = (c['G'] / c['g'], c['A'] / c['a'])  # type: ignore[operator]
            self.carried = {}


def per_example_rows(losses: torch.Tensor, params: List[torch.Tensor]) -> np.ndarray:
    """(b, Σ numel) rows ∇ losses[n] over ``params`` by one backward per example."""
    rows = []
    for n in range(losses.shape[0]):
        grads = torch.autograd.grad(losses[n], params, retain_graph=True)
        rows.append(torch.cat([g.reshape(-1) for g in grads]).numpy())
    return np.stack(rows)


@pytest.mark.parametrize('rule,factors_every', [('ngd', 1), ('ngd', 2), ('efgd', 1), ('efgd', 2)])
def test_mlp_kfac_update_equals_the_dense_float64_reference(daemon: LocalDaemon, rule: str, factors_every: int) -> None:
    """Linear(4,5) → LayerNorm → Tanh → Linear(5,3), cross-entropy, b = 6, 5 steps applied with SGD(lr=1):
    both Linear layers are Kronecker blocks, the LayerNorm a diagonal block in the same contribution."""
    model = mlp()
    b, K, damping = 6, 2, 0.05
    seed = 11
    sender = KroneckerSender(factors_every=factors_every)
    linears = {'0': model[0], '3': model[3]}
    capture = Capture(linears)
    norm_params = [model[1].weight, model[1].bias]
    ref = Reference({n: (m, True) for n, m in linears.items()}, factors_every)
    label_generator = torch.Generator().manual_seed(seed)
    data = torch.Generator().manual_seed(5)
    opts = dict(optimizer=Optimizer(rule, step_size=1.0, damping=damping), sender=sender)
    if rule == 'ngd':
        opts.update(likelihood='cross_entropy', samples=K, generator=torch.Generator().manual_seed(seed))
    with preconditioner(model, daemon.url, **opts) as pre:
        assert [(blk.name, blk.structure) for blk in pre.blocks] == [
            ('0', Kronecker(5, 4, True)), ('1', 'diagonal'), ('3', Kronecker(3, 5, True))]
        assert pre.client.session.blocks[0].structure == Kronecker(5, 4, True)  # as the daemon echoed it
        for step in range(1, 6):
            x = torch.randn(b, 4, dtype=torch.float64, generator=data)
            y = torch.randint(0, 3, (b,), generator=data)
            f = model(x)  # the preconditioner's sampled-label backward runs here (ngd)
            zs = [capture.outputs[n] for n in linears]
            loss = F.cross_entropy(f, y)
            with pre.paused():
                data_e = dict(zip(linears, torch.autograd.grad(loss, zs, retain_graph=True)))
            diag_rows: np.ndarray
            pause = pre.paused()
            pause.__enter__()
            if rule == 'ngd':
                labels = Categorical().sample(f.detach(), K, label_generator)
                sampled_e = {n: [] for n in linears}
                sampled_rows = []
                for k in range(K):
                    losses = F.cross_entropy(f, labels[:, k], reduction='none')
                    for n, e in zip(linears, torch.autograd.grad(losses.sum(), zs, retain_graph=True)):
                        sampled_e[n].append(e.detach())
                    sampled_rows.append(per_example_rows(losses, norm_params))
                diag_rows = np.concatenate(sampled_rows)  # (b·K, size)
            else:
                diag_rows = per_example_rows(F.cross_entropy(f, y, reduction='none'), norm_params)
            pause.__exit__(None, None, None)
            loss.backward()
            for n, layer in linears.items():
                a = with_ones(capture.inputs[n])
                if rule == 'ngd':
                    e = torch.cat(sampled_e[n]).numpy()
                else:
                    e = b * data_e[n].numpy()  # the per-example scale of a mean-reduced loss
                ref.add(n, a.T @ a, b, e.T @ e, e.shape[0])
            ref.end_step()
            grads = {n: torch.cat([m.weight.grad.reshape(-1), m.bias.grad]).numpy() for n, m in linears.items()}
            g_norm = torch.cat([p.grad.reshape(-1) for p in norm_params]).numpy()

            update = pre.step(loss=float(loss))
            assert update is not None
            for n in linears:
                G, A = ref.factors[n]
                want = -kron_solve(G, A, damping, grads[n], True)
                assert relative_error(update.blocks[n].astype(np.float64), want) < RTOL, (step, n, update.blocks[n] / want)
            diag = (diag_rows ** 2).sum(axis=0) / diag_rows.shape[0]
            want = -g_norm / (diag + damping)
            assert relative_error(update.blocks['1'].astype(np.float64), want) < RTOL, step
            source = 'fisher' if rule == 'ngd' else 'empiricalFisher'
            for n in linears:
                G, A = ref.factors[n]
                trace = update.diagnostics.values[f'layer.{n}.{source}.trace']
                assert trace == pytest.approx(np.trace(G) * np.trace(A), rel=1e-6)
                assert update.diagnostics.values[f'layer.{n}.factorUpdates'] == (step - 1) // factors_every + 1
            with torch.no_grad():  # SGD(lr=1): θ ← θ − p.grad = θ + Δθ
                for p in model.parameters():
                    p.sub_(p.grad)
                    p.grad = None
    capture.remove()


def test_conv2d_factors_are_expand_over_unfolded_patches_and_the_update_follows(daemon: LocalDaemon) -> None:
    """Conv2d(2→3, 3×3, padding 1) → ReLU → Flatten → Linear, efgd, b = 4 on 4×4 images (R = 16): the
    sent factors are A = Σ_{n,r} ā āᵀ over F.unfold's patches (count b·R) and G = Σ_{n,r} e eᵀ (count b),
    the sampled G likewise (count b·K), and the daemon's update is the dense reference's."""
    torch.manual_seed(1)
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 2)).double()
    b, damping, K = 4, 0.1, 3
    x = torch.randn(b, 2, 4, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0])
    capture = Capture({'0': conv})
    with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=damping),
                        sender=KroneckerSender(), track=Track(fisher=True), likelihood='cross_entropy', samples=K,
                        generator=torch.Generator().manual_seed(3)) as pre:
        assert pre.blocks[0].structure == Kronecker(3, 2 * 9, True)
        f = model(x)
        labels = Categorical().sample(f.detach(), K, torch.Generator().manual_seed(3))
        z = capture.outputs['0']
        loss = F.cross_entropy(f, y)
        with pre.paused():
            sampled = [torch.autograd.grad(F.cross_entropy(f, labels[:, k], reduction='sum'), z, retain_graph=True)[0] for k in range(K)]
            z_grad = torch.autograd.grad(loss, z, retain_graph=True)[0]
        loss.backward()
        patches = F.unfold(x, 3, padding=1).transpose(1, 2)  # (b, R, C_in·9), weight.flatten(1) order
        a = with_ones(patches)
        e = (b * z_grad).permute(0, 2, 3, 1).reshape(-1, 3).numpy()
        es = torch.cat([s.permute(0, 2, 3, 1).reshape(-1, 3) for s in sampled]).numpy()
        A, G, S = a.T @ a, e.T @ e, es.T @ es

        layers = {layer.block: layer for layer in pre.statistics()}
        sent = pre.sender.contribution(list(layers.values()), 'mean', b, None)
        pre.sender.reset()
        fac = {s.block: s for s in sent.statistics}['0']
        assert isinstance(fac, KroneckerStatistics) and fac.factors is not None
        # A Kronecker block's factor sums reach the sender as packed upper triangles (the wire's order).
        np.testing.assert_allclose(fac.factors.input_sum.numpy(), pack_upper(A), rtol=1e-12, atol=1e-12)
        assert fac.factors.input_count == b * 16
        np.testing.assert_allclose(fac.factors.empirical.sum.numpy(), pack_upper(G), rtol=1e-12, atol=1e-14)
        assert fac.factors.empirical.count == b
        np.testing.assert_allclose(fac.factors.sampled.sum.numpy(), pack_upper(S), rtol=1e-12, atol=1e-14)
        assert (fac.factors.sampled.count, fac.factors.samples_per_example) == (b * K, K)

        grad = torch.cat([conv.weight.grad.reshape(-1), conv.bias.grad]).numpy()
        update = pre.step(loss=float(loss))
        assert update is not None
        want = -kron_solve(G / b, A / (b * 16), damping, grad, True)
        assert relative_error(update.blocks['0'].astype(np.float64), want) < RTOL
        # the EF-vs-Fisher cosine of the block, from the two dense solves
        fisher = kron_solve(S / (b * K), A / (b * 16), damping, grad, True)
        cosine = float(want @ -fisher / (np.linalg.norm(want) * np.linalg.norm(fisher)))
        assert update.diagnostics.values['layer.0.cosineEfFisher'] == pytest.approx(cosine, rel=1e-5)
    capture.remove()


def test_damping_adaptation_over_the_wire_follows_the_lm_rule(daemon: LocalDaemon) -> None:
    """ngd with damping adaptation (every step, d = 0.5, λ ∈ [1e-3, 10]) on a Linear(3→2) softmax model:
    each step sends loss = L_{B_t}(θ_t) and, from step 2, loss_after_previous_update = L_{B_{t−1}}(θ_t);
    the daemon's ρ equals (L_after − L_before)/q(Δ) with q(Δ) = ḡᵀΔ + ½Δᵀ(Ḡ⊗Ā + λI)Δ from the float64
    reference (exact labels sampled with the same seed), and λ moves as the rule says."""
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(3, 2)).double()
    b, K, lam0 = 8, 4, 1.0
    capture = Capture({'0': model[0]})
    adaptation = DampingAdaptation(every=1, min=1e-3, max=10.0, decay_factor=0.5)
    data = torch.Generator().manual_seed(9)
    labels_gen = torch.Generator().manual_seed(2)
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=lam0, damping_adaptation=adaptation),
                        sender=KroneckerSender(), likelihood='cross_entropy', samples=K,
                        generator=torch.Generator().manual_seed(2), precision='float64') as pre:
        echoed = pre.client.session.config.optimizer.damping_adaptation
        assert (echoed.every, echoed.min, echoed.max, echoed.decay_factor) == (1, 1e-3, 10.0, 0.5)
        previous: Optional[Tuple[torch.Tensor, torch.Tensor, float, float, np.ndarray, np.ndarray, np.ndarray]] = None
        lam = lam0
        moves = set()
        for step in range(1, 9):
            after = None
            if previous is not None:
                with torch.no_grad():
                    after = float(F.cross_entropy(model(previous[0]), previous[1]))
            x = torch.randn(b, 3, dtype=torch.float64, generator=data) * 2
            y = torch.randint(0, 2, (b,), generator=data)
            f = model(x)
            labels = Categorical().sample(f.detach(), K, labels_gen)
            z = capture.outputs['0']
            with pre.paused():
                es = torch.cat([torch.autograd.grad(F.cross_entropy(f, labels[:, k], reduction='sum'), z, retain_graph=True)[0]
                                for k in range(K)]).numpy()
            loss = F.cross_entropy(f, y)
            loss.backward()
            a = with_ones(x)
            G, A = es.T @ es / (b * K), a.T @ a / b
            grad = torch.cat([model[0].weight.grad.reshape(-1), model[0].bias.grad]).numpy()
            update = pre.step(loss=float(loss), loss_after_previous_update=after)
            values = update.diagnostics.values
            if previous is None:
                assert 'rho' not in values
            else:
                _, _, loss_before, q, *_ = previous
                rho = (after - loss_before) / q
                assert values['rho'] == pytest.approx(rho, rel=1e-4, abs=1e-9)
                omega = adaptation.decay_factor ** adaptation.every
                if rho > 0.75:
                    lam, move = lam * omega, 'down'
                elif rho < 0.25:
                    lam, move = lam / omega, 'up'
                else:
                    move = 'same'
                lam = min(max(lam, adaptation.min), adaptation.max)
                moves.add(move)
            assert values['damping'] == pytest.approx(lam, rel=1e-12)
            delta = update.blocks['0'].astype(np.float64)
            assert relative_error(delta, -kron_solve(G, A, lam, grad, True)) < RTOL
            q = float(grad @ delta + 0.5 * delta @ (kron_matvec(G, A, delta, True) + lam * delta))
            previous = (x, y, float(loss), q, G, A, grad)
            with torch.no_grad():
                for p in model.parameters():
                    p.sub_(p.grad)
                    p.grad = None
        assert 'down' in moves  # λ moved (a near-quadratic model: ρ ≈ 1 early on)
    capture.remove()


def test_precision_float64_is_echoed_and_bad_values_are_refused_locally(daemon: LocalDaemon) -> None:
    config = SessionConfig(dim=3, optimizer=Optimizer('sgd', step_size=0.1), precision='float64')
    with Client.connect(daemon.url) as client:
        info = client.open_session(config)
        assert info.config.precision == 'float64'
        client.close_session(discard=True)
        with pytest.raises(FisherdError) as e:
            client.open_session(SessionConfig(dim=3, optimizer=Optimizer('sgd', step_size=0.1), precision='float16'))  # type: ignore[arg-type]
        assert (e.value.code, e.value.field, e.value.local) == ('INVALID_CONFIG', 'precision', True)


def test_kronecker_statistics_without_torch_through_the_client(daemon: LocalDaemon) -> None:
    """``kronecker_statistics_from_pairs`` + ``add_factor_sums`` over the wire with a diagonal block beside
    (efgd, reduction 'sum', T_stat = 2 by hand): updates equal the dense reference; packing round-trips;
    a negative diagonal or a wrong factor order is refused locally, typed."""
    rng = np.random.default_rng(0)
    out_dim, inputs, b, damping = 2, 3, 5, 0.2
    config = SessionConfig(dim=out_dim * (inputs + 1) + 4, optimizer=Optimizer('efgd', step_size=1.0, damping=damping),
                           blocks=[Block('fc', out_dim * (inputs + 1), Kronecker(out_dim, inputs, True)), Block('d', 4)])
    m = rng.normal(size=(4, 4))
    assert np.array_equal(unpack_upper(pack_upper(m + m.T), 4), m + m.T)
    with Client.connect(daemon.url) as client:
        client.open_session(config)
        carried = None
        for step in range(1, 4):
            a, e = rng.normal(size=(b, inputs)), rng.normal(size=(b, out_dim))
            rows = rng.normal(size=(b, 4))
            fc = kronecker_statistics_from_pairs(count=b, activations=a, output_grads=e, bias=True, block='fc')
            carried = fc.factors if carried is None else add_factor_sums(carried, fc.factors)
            if step != 2:  # steps 1 and 3 carry the factors (3: steps 2 and 3 summed)
                fc.factors, factors, carried = carried, carried, None
            else:
                fc.factors = None
            d = DiagonalMoments(count=b, sum=rows.sum(0), sum_squares=(rows ** 2).sum(0), block='d')
            update = client.step(reduction='sum', batch_size=b, statistics=[fc, d])
            G, A = factors.empirical.sum / factors.empirical.count, factors.input_sum / factors.input_count
            want = -kron_solve(G, A, damping, fc.sum / b, True)
            assert relative_error(update.blocks['fc'].astype(np.float64), want) < RTOL
            assert relative_error(update.blocks['d'].astype(np.float64), -(rows.mean(0)) / ((rows ** 2).mean(0) + damping)) < RTOL
        bad = kronecker_statistics_from_pairs(count=b, activations=a, output_grads=e, bias=True, block='fc')
        bad.factors.input_sum = bad.factors.input_sum.copy()
        bad.factors.input_sum[1, 1] = -1.0
        with pytest.raises(FisherdError) as err:
            client.step(reduction='sum', batch_size=b, statistics=[bad, d])
        assert (err.value.code, err.value.field, err.value.local) == ('INVALID_CONFIG', 'statistics[0].kronecker.factors.input_sum', True)
        bad.factors.input_sum = np.eye(3)
        with pytest.raises(FisherdError) as err:
            client.step(reduction='sum', batch_size=b, statistics=[bad, d])
        assert (err.value.code, err.value.field) == ('SHAPE_MISMATCH', 'statistics[0].kronecker.factors.input_sum')
        client.close_session(discard=True)


def test_micro_batches_add_their_factors_like_one_batch(daemon: LocalDaemon) -> None:
    """Gradient accumulation: two micro-batches of 4 (each loss halved) send the factors and sums of the
    batch of 8 (efgd, T_stat = 1): the two sessions' updates agree to float32 rounding, over 3 steps."""
    x = torch.randn(8, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    y = torch.randint(0, 3, (8,), generator=torch.Generator().manual_seed(2))
    updates = []
    for split in (1, 2):
        model = mlp()
        with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=0.05),
                            sender=KroneckerSender()) as pre:
            run = []
            for _ in range(3):
                for xs, ys in zip(x.chunk(split), y.chunk(split)):
                    (F.cross_entropy(model(xs), ys) / split).backward()
                update = pre.step()
                run.append(update.delta.astype(np.float64))
                with torch.no_grad():
                    for p in model.parameters():
                        p.sub_(p.grad)
                        p.grad = None
            updates.append(run)
    for one, two in zip(*updates):
        assert relative_error(two, one) < 1e-5


@pytest.mark.parametrize('bias', [True, False])
def test_input_factor_of_a_layer_called_twice_is_the_float64_sum_over_both_calls(bias: bool) -> None:
    from fisherd_client._torch_hooks import AffineHandler, AffineInput
    layer = nn.Linear(5, 3, bias=bias)
    handler = AffineHandler(layer, list(layer.named_parameters()))
    g = torch.Generator().manual_seed(4)
    xs = [torch.randn(4, 5, generator=g), torch.randn(4, 2, 5, generator=g)]  # (b, in) and (b, T, in): 4 and 8 rows
    es = [torch.randn(4, 3, generator=g), torch.randn(4, 2, 3, generator=g)]
    rows = np.concatenate([x.reshape(-1, 5).double().numpy() for x in xs])
    if bias:
        rows = np.concatenate([rows, np.ones((rows.shape[0], 1))], axis=1)
    for calls in ([xs[0]], xs):
        A, count = handler.input_factor([AffineInput(x) for x in calls])
        used = rows[:sum(x.reshape(-1, 5).shape[0] for x in calls)]
        assert count == used.shape[0] and A.dtype == torch.float32
        np.testing.assert_allclose(A.double().numpy(), used.T @ used, rtol=1e-5, atol=1e-5)
        packed, _ = handler.input_factor([AffineInput(x) for x in calls], packed=True)
        np.testing.assert_allclose(packed.double().numpy(), pack_upper(used.T @ used), rtol=1e-5, atol=1e-5)
    grads = np.concatenate([e.reshape(-1, 3).double().numpy() for e in es])
    np.testing.assert_allclose(handler.output_factor(es).double().numpy(), grads.T @ grads, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(handler.output_factor(es, packed=True).double().numpy(), pack_upper(grads.T @ grads), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(handler.output_factor([es[0], None]).double().numpy(), grads[:4].T @ grads[:4], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('n', [1, 10, 127, 128, 385, 700])
def test_packed_gram_is_the_upper_triangle_of_the_float64_product(n: int) -> None:
    from fisherd_client._torch_hooks import gram, unpack_gram
    x = torch.randn(9, n, generator=torch.Generator().manual_seed(n), dtype=torch.float64)
    want = x.numpy().T @ x.numpy()
    packed = gram(x, packed=True)
    assert packed.shape == (n * (n + 1) // 2,) and packed.dtype == torch.float64
    np.testing.assert_allclose(packed.numpy(), pack_upper(want), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(unpack_gram(packed, n).numpy(), want, rtol=1e-13, atol=1e-13)
    single = gram(x.float(), packed=True)
    np.testing.assert_allclose(single.numpy(), pack_upper(want), rtol=1e-5, atol=1e-5 * float(np.abs(want).max()))
