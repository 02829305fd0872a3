"""``KroneckerSender(factors_from='sending_step')``: the factors of a sending step are that step's alone
(kfac-pytorch's ``factor_update_steps``), and the steps between compute none.

References as in tests/test_torch_kfac.py (docs/math.md "Kronecker factors (K-FAC)" from the definitions,
float64 models): per sending step t ∈ {1, 1+T, …} A = Σ ā āᵀ of step t's batch (count b) and the sampled
G = Σ ẽ ẽᵀ of its K sampled-label backward(s) (count b·K; labels drawn with the preconditioner's generator
seed, on the steps the preconditioner draws them) or the empirical G (count b); the update
−γ (Ḡ ⊗ Ā + λI)⁻¹ ḡ with the factors of the last sending step (ema_decay 0). Tolerances: the sent sums are
float64 sums in another order (relative 1e-12); factors travel as float32 and Δθ comes back as float32,
so updates agree to 1e-5 relative (tests/test_torch_kfac.py's RTOL). "Nothing computed" is counted: the
labels drawn (one draw per sampled-label backward) and the calls of the handlers' factor products.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fisherd_client import LocalDaemon, Optimizer  # noqa: E402
from fisherd_client.statistics import KroneckerStatistics, pack_upper  # noqa: E402
from fisherd_client.torch import Categorical, KroneckerSender, Preconditioner  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402
from test_torch_kfac import RTOL, Capture, kron_solve, per_example_rows, relative_error, with_ones  # noqa: E402

T = 3  # factors_every in these tests: steps 1, 4, 7 send
KFAC_RTOL = 1e-5  # data parallel: Δθ against the single process's, relative to max |Δθ|


class CountingCategorical(Categorical):
    """Categorical that counts its label draws: one per sampled-label backward of a forward pass."""

    def __init__(self) -> None:
        self.draws = 0

    def sample(self, f, k, generator):  # type: ignore[no-untyped-def]
        self.draws += 1
        return super().sample(f, k, generator)


def count_factor_products(pre: Preconditioner) -> Dict[str, int]:
    """Wraps every affine handler's input_factor/output_factor; returns the live call counter."""
    calls = {'input_factor': 0, 'output_factor': 0}
    for handler in pre.handlers:
        for name in calls:
            if hasattr(handler, name):
                def counted(*args, __f=getattr(handler, name), __name=name, **kwargs):  # type: ignore[no-untyped-def]
                    calls[__name] += 1
                    return __f(*args, **kwargs)
                setattr(handler, name, counted)
    return calls


def record_contributions(pre: Preconditioner) -> List[Dict[str, object]]:
    """Every step's sent statistics per block, as the sender made them."""
    sent: List[Dict[str, object]] = []
    contribution = pre.sender.contribution

    def recorded(*args, **kwargs):  # type: ignore[no-untyped-def]
        step = contribution(*args, **kwargs)
        sent.append({s.block: s for s in step.statistics})
        return step

    pre.sender.contribution = recorded  # type: ignore[method-assign]
    return sent


def make_model(with_norm: bool) -> nn.Module:
    torch.manual_seed(0)
    if with_norm:
        return nn.Sequential(nn.Linear(4, 5), nn.LayerNorm(5), nn.Tanh(), nn.Linear(5, 3)).double()
    return nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3)).double()


@pytest.mark.parametrize('with_norm', [False, True], ids=['kronecker-only', 'with-layernorm'])
def test_sending_steps_send_their_own_factors_and_the_others_compute_none(daemon: LocalDaemon, with_norm: bool) -> None:
    """ngd, K = 2, b = 6, T = 3, 8 steps with SGD(lr=1). Kronecker-only model: the sampled-label backward
    and the factor products run at steps 1, 4, 7 only. With a LayerNorm (a diagonal block, whose Fisher
    squares are read every step) the backward runs every step, the factor products still at 1, 4, 7 only.
    Sent factors: those of the step's batch alone; every update: the float64 reference's."""
    model = make_model(with_norm)
    linears = {'0': model[0], '3' if with_norm else '2': model[3 if with_norm else 2]}
    b, K, damping, seed = 6, 2, 0.05, 11
    likelihood = CountingCategorical()
    label_generator = torch.Generator().manual_seed(seed)
    data = torch.Generator().manual_seed(5)
    capture = Capture(linears)
    norm_params = [model[1].weight, model[1].bias] if with_norm else []
    sender = KroneckerSender(factors_every=T, factors_from='sending_step')
    factors: Dict[str, tuple] = {}
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=damping), sender=sender,
                        likelihood=likelihood, samples=K, generator=torch.Generator().manual_seed(seed)) as pre:
        products = count_factor_products(pre)
        sent = record_contributions(pre)
        draws = 0
        for step in range(1, 9):
            sending = (step - 1) % T == 0
            assert sender.computes_factors() == sending
            x = torch.randn(b, 4, dtype=torch.float64, generator=data)
            y = torch.randint(0, 3, (b,), generator=data)
            f = model(x)
            zs = [capture.outputs[n] for n in linears]
            draws += int(sending or with_norm)
            assert likelihood.draws == draws, step  # the preconditioner's sampled-label backward ran (or not)
            with pre.paused():
                if sending or with_norm:  # the labels the preconditioner drew, from the same generator
                    labels = Categorical().sample(f.detach(), K, label_generator)
                    sampled = {n: [] for n in linears}
                    rows = []
                    for k in range(K):
                        losses = F.cross_entropy(f, labels[:, k], reduction='none')
                        for n, e in zip(linears, torch.autograd.grad(losses.sum(), zs, retain_graph=True)):
                            sampled[n].append(e.detach())
                        if with_norm:
                            rows.append(per_example_rows(losses, norm_params))
            loss = F.cross_entropy(f, y)
            loss.backward()
            if sending:
                for n in linears:
                    a = with_ones(capture.inputs[n])
                    e = torch.cat(sampled[n]).numpy()
                    factors[n] = (a.T @ a, e.T @ e)
            grads = {n: torch.cat([m.weight.grad.reshape(-1), m.bias.grad]).numpy() for n, m in linears.items()}
            g_norm = torch.cat([p.grad.reshape(-1) for p in norm_params]).numpy() if with_norm else None
            update = pre.step(loss=float(loss))
            assert update is not None
            # 2 handlers × (A and the sampled G) per sending step, nothing on the others
            assert products == {'input_factor': 2 * ((step - 1) // T + 1), 'output_factor': 2 * K * ((step - 1) // T + 1)}, step
            for n in linears:
                entry = sent[-1][n]
                assert isinstance(entry, KroneckerStatistics)
                if not sending:
                    assert entry.factors is None, step
                    continue
                A, S = factors[n]
                np.testing.assert_allclose(entry.factors.input_sum.numpy(), pack_upper(A), rtol=1e-12, atol=1e-12)
                np.testing.assert_allclose(entry.factors.sampled.sum.numpy(), pack_upper(S), rtol=1e-12, atol=1e-14)
                assert (entry.factors.input_count, entry.factors.sampled.count, entry.factors.samples_per_example) == (b, b * K, K)
                assert entry.factors.empirical is None
            for n in linears:
                A, S = factors[n]
                want = -kron_solve(S / (b * K), A / b, damping, grads[n], True)
                assert relative_error(update.blocks[n].astype(np.float64), want) < RTOL, (step, n)
                assert update.diagnostics.values[f'layer.{n}.factorUpdates'] == (step - 1) // T + 1
                assert update.diagnostics.values[f'layer.{n}.fisher.trace'] == pytest.approx(
                    np.trace(S / (b * K)) * np.trace(A / b), rel=1e-6)
            if with_norm:
                rows_all = np.concatenate(rows)
                want = -g_norm / ((rows_all ** 2).sum(axis=0) / rows_all.shape[0] + damping)
                assert relative_error(update.blocks['1'].astype(np.float64), want) < RTOL, step
            with torch.no_grad():
                for p in model.parameters():
                    p.sub_(p.grad)
                    p.grad = None
    capture.remove()


def test_every_step_default_sums_the_steps_since_the_last_send(daemon: LocalDaemon) -> None:
    """The default (factors_from='every_step'), T = 3, efgd: the factors sent at step 4 are the sums over
    steps 2, 3 and 4 (counts 3b), and the factor products ran every step."""
    model = make_model(False)
    b = 5
    data = torch.Generator().manual_seed(2)
    capture = Capture({'0': model[0]})
    sender = KroneckerSender(factors_every=T)
    assert sender.factors_from == 'every_step' and sender.computes_factors()
    with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1), sender=sender) as pre:
        products = count_factor_products(pre)
        sent = record_contributions(pre)
        A = np.zeros((5, 5))
        for step in range(1, 5):
            x = torch.randn(b, 4, dtype=torch.float64, generator=data)
            F.cross_entropy(model(x), torch.randint(0, 3, (b,), generator=data)).backward()
            a = with_ones(capture.inputs['0'])
            A = a.T @ a if step == 2 else A + a.T @ a
            pre.step()
            assert products['input_factor'] == 2 * step
            model.zero_grad()
        factors = sent[3]['0'].factors
        assert sent[1]['0'].factors is None and sent[2]['0'].factors is None and factors is not None
        assert (factors.input_count, factors.empirical.count) == (3 * b, 3 * b)
        np.testing.assert_allclose(factors.input_sum.numpy(), pack_upper(A), rtol=1e-12)
    capture.remove()


def test_micro_batches_of_a_sending_step_add_their_factors(daemon: LocalDaemon) -> None:
    """Gradient accumulation, efgd, T = 2: two micro-batches of 4 (each loss halved) send the factors and
    sums of the batch of 8 at steps 1 and 3 (count 8), none at 2 and 4: both sessions' updates agree to
    float32 rounding over 4 steps."""
    x = torch.randn(8, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    y = torch.randint(0, 3, (8,), generator=torch.Generator().manual_seed(2))
    runs = []
    for split in (1, 2):
        model = make_model(True)
        sender = KroneckerSender(factors_every=2, factors_from='sending_step')
        with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=0.05), sender=sender) as pre:
            products = count_factor_products(pre)
            sent = record_contributions(pre)
            run = []
            for step in range(1, 5):
                for xs, ys in zip(x.chunk(split), y.chunk(split)):
                    (F.cross_entropy(model(xs), ys) / split).backward()
                run.append(pre.step().delta.astype(np.float64))
                factors = sent[-1]['0'].factors
                if step % 2:
                    assert (factors.input_count, factors.empirical.count) == (8, 8)
                else:
                    assert factors is None
                with torch.no_grad():
                    for p in model.parameters():
                        p.sub_(p.grad)
                        p.grad = None
            assert products['input_factor'] == 2 * 2 * split  # 2 layers × 2 sending steps × micro-batches
            runs.append(run)
    for one, two in zip(*runs):
        assert relative_error(two, one) < 1e-5


def test_a_resumed_session_sends_on_the_steps_of_the_uninterrupted_one(daemon: LocalDaemon) -> None:
    """T = 3, ngd on a Kronecker-only model: 5 steps, state_dict, a new Preconditioner (and sender)
    load_state_dict: its step 6 sends no factors and draws no labels, step 7 sends those of its batch, and
    both updates equal the uninterrupted run's (same computation: relative 1e-12)."""
    def batches():  # type: ignore[no-untyped-def]
        data = torch.Generator().manual_seed(8)
        for _ in range(7):
            yield torch.randn(6, 4, dtype=torch.float64, generator=data), torch.randint(0, 3, (6,), generator=data)

    options = dict(optimizer=Optimizer('ngd', step_size=1.0, damping=0.05), samples=2)

    def train(pre: Preconditioner, model: nn.Module, steps) -> List[np.ndarray]:  # type: ignore[no-untyped-def]
        out = []
        for x, y in steps:
            F.cross_entropy(model(x), y).backward()
            out.append(pre.step().delta.astype(np.float64))
            with torch.no_grad():
                for p in model.parameters():
                    p.sub_(p.grad)
                    p.grad = None
        return out

    model = make_model(False)
    with preconditioner(model, daemon.url, likelihood='cross_entropy', generator=torch.Generator().manual_seed(3),
                        sender=KroneckerSender(factors_every=T, factors_from='sending_step'), **options) as pre:
        expected = train(pre, model, batches())

    model = make_model(False)
    generator = torch.Generator().manual_seed(3)
    data = list(batches())
    first = Preconditioner(model, daemon.url, likelihood='cross_entropy', generator=generator,
                           sender=KroneckerSender(factors_every=T, factors_from='sending_step'), **options)
    train(first, model, data[:5])
    state = first.state_dict()
    assert state['last_step'] == 5
    first.close()  # resumable
    likelihood = CountingCategorical()
    sender = KroneckerSender(factors_every=T, factors_from='sending_step')
    with preconditioner(model, daemon.url, likelihood=likelihood, generator=generator, sender=sender, **options) as pre:
        pre.load_state_dict(state)
        assert pre.session_id == state['session_id'] and not sender.computes_factors()  # step 6 is no sending step
        sent = record_contributions(pre)
        resumed = train(pre, model, data[5:6])
        assert likelihood.draws == 0 and sent[0]['0'].factors is None
        resumed += train(pre, model, data[6:])
        assert likelihood.draws == 1 and sent[1]['0'].factors.input_count == 6
        assert pre.last_update.step == 7
    for got, want in zip(resumed, expected[5:]):
        assert relative_error(got, want) < 1e-12


def test_ekfac_squares_follow_the_factors(daemon: LocalDaemon) -> None:
    """EKFAC (T_inv 2) with T = 2: squares only on the sending steps whose factor update installs no new
    basis (steps 3 and 7; step 1 has no basis, step 5's factor update 3 refreshes it), each the squares of
    that step's b·K sampled rows alone; labels drawn on sending steps only."""
    model = make_model(False)
    b, K = 6, 2
    likelihood = CountingCategorical()
    data = torch.Generator().manual_seed(4)
    sender = KroneckerSender(factors_every=2, factors_from='sending_step', eigenvalue_corrected=True, refresh_every=2)
    with preconditioner(model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=0.1), likelihood=likelihood,
                        samples=K, generator=torch.Generator().manual_seed(9), sender=sender) as pre:
        sent = record_contributions(pre)
        squares_at = []
        for step in range(1, 8):
            x = torch.randn(b, 4, dtype=torch.float64, generator=data)
            F.cross_entropy(model(x), torch.randint(0, 3, (b,), generator=data)).backward()
            held = pre.kronecker_factors()
            assert bool(held) == (step % 2 == 1), step  # no factor sums at all between sending steps
            pre.step()
            model.zero_grad()
            assert likelihood.draws == (step + 1) // 2
            factors = sent[-1]['0'].factors
            if step % 2 == 0:
                assert factors is None
            elif factors.eigenbasis_squares is not None:
                squares_at.append(step)
                assert factors.eigenbasis_count == b * K == factors.sampled.count
        assert squares_at == [3, 7]


def test_factors_from_is_checked() -> None:
    with pytest.raises(ValueError, match='factors_from'):
        KroneckerSender(factors_from='sometimes')  # type: ignore[arg-type]
    sender = KroneckerSender(factors_every=2, factors_from='sending_step')
    assert [sender.computes_factors() for sender._steps in range(4)] == [True, False, True, False]
    sender.sync(7)  # a session loaded at step 7: step 8 is no sending step, 9 is
    assert not sender.computes_factors()


@pytest.mark.parametrize('mode', ['allreduce', 'workers'])
def test_two_ranks_send_on_the_same_steps_as_one_process(tmp_path: Path, daemon, mode: str) -> None:  # type: ignore[no-untyped-def]
    """Data parallel (gloo, 2 ranks with 5 and 7 of 12 examples), ngd, T = 2, 'sending_step', no
    kronecker=True: every rank sends (or merges) factors at steps 1 and 3 only, and every step's Δθ is the
    single process's on the 12 examples. Tolerance 1e-5 of max |Δθ| (measured 3e-6): the merged factors
    differ from the single process's by float64 rounding, travel as float32 (6e-8 a value) and the damped
    Kronecker solve amplifies that by up to λ_max(Ḡ⊗Ā)/λ, more than the diagonal rules'
    tests/test_torch_distributed.py's 2e-6 allows for."""
    from test_torch_distributed import _close, _run
    extra = dict(steps=3, kfac={'factors_every': 2, 'factors_from': 'sending_step'})
    reference = _run(tmp_path, 'reference', [daemon.url], 'off', 'ngd', 1, **extra)[0]
    ranks = _run(tmp_path, mode, [daemon.url], mode, 'ngd', 2, **extra)
    for record in [reference] + ranks:
        assert [record['factors'][step]['0'] is None for step in range(3)] == [False, True, False]
    for rank, record in enumerate(ranks):
        for step in range(3):
            _close(record['deltas'][step], reference['deltas'][step], KFAC_RTOL, f'rank {rank} step {step + 1} Δθ')
