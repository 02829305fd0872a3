"""A Kronecker block's gradient sum as thin factors (``KroneckerSender(gradient_factors='auto')``, proto
``GradientFactors``): L (r × out) and R (r × in') with Lᵀ R = Σ_j e_j ā_jᵀ, sent instead of the dense sum
when r·(out + in') < out·in'.

References (float64 models): the dense sum the client sent before (``gradient_factors='never'``), which
for a layer used once per forward pass is its parameters' gradient [vec W.grad, b.grad] as the backward
left it (the loss's reduction included); per-row, e_j is the layer output's gradient (autograd, retained)
and ā_j the layer's input with a 1 for the bias. Tolerances: the hooks' factors are the float64 tensors
themselves, so Lᵀ R equals the dense sum to float64 rounding of a different summation order (1e-12
relative); after the wire's float32 (float16, bfloat16) rounding of every factor value, Lᵀ R in float64
is within a few units of the encoding's rounding: 1e-6 relative (float32), 3e-3 (float16), 2e-2
(bfloat16), relative to max |sum|.

Against the daemon (which forms the sum from the factors, or solves from them when ḡ is this step's mean):
'auto' and 'never' in lockstep on equal models give the same Δθ to float32 rounding (1e-5 of max |Δθ|,
measured ~1e-7), and the frames up are smaller. In lockstep because that small-damping ngd on 4 examples
is chaotic: each run moved by its own update, the float32 differences grow to O(1) in 6 steps, as a 1e-7
relative perturbation of θ does with 'never' alone.
"""
from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402

from fisherd_client import FisherdError, LocalDaemon, Optimizer  # noqa: E402
from fisherd_client import fisherd_pb2 as pb  # noqa: E402
from fisherd_client.config import Block, Kronecker  # noqa: E402
from fisherd_client.statistics import (  # noqa: E402
    GradientFactors, KroneckerStatistics, decode_vector, encode_statistics, gradient_factors_sum,
)
from fisherd_client.step_input import StepInput, encode_step  # noqa: E402
from fisherd_client.torch import KroneckerSender, Preconditioner  # noqa: E402
from fisherd_client.wire import Payloads, encode  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402

EXACT = 1e-12
WIRE_RTOL = {'float32': 1e-6, 'float16': 3e-3, 'bfloat16': 2e-2}
_ENCODING_NAMES = {pb.FLOAT_ENCODING_FLOAT32: 'float32', pb.FLOAT_ENCODING_FLOAT16: 'float16', pb.FLOAT_ENCODING_BFLOAT16: 'bfloat16'}


def max_relative(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.abs(np.asarray(got, dtype=np.float64) - want).max() / max(np.abs(want).max(), 1e-300))


def grad_vector(layer: nn.Module) -> np.ndarray:
    """[vec W.grad, b.grad] in float64: the dense sum of a layer used once per forward pass."""
    parts = [layer.weight.grad.reshape(-1)] + ([layer.bias.grad] if layer.bias is not None else [])
    return torch.cat(parts).double().numpy()


def has_bias(layer: nn.Module) -> bool:
    return layer.bias is not None


def on_the_wire(pre: Preconditioner, encoding: str = 'float32') -> Tuple[Dict[str, Any], int]:
    """The step's contribution as the client would send it (``sender.contribution``, then the payload
    encoding: the large fields straight from the arrays), parsed back with fisherd_pb2: block name →
    ``KroneckerStatistics`` / ``DiagonalMoments`` message, and the frame's length in bytes. The sender's step
    counter moves on as in a step; nothing is sent (the recorded statistics are dropped)."""
    pre.sender.encoding = encoding
    layers = pre.statistics()
    contribution = pre.sender.contribution(layers, pre.reduction, layers[0].moments.count, None)
    message = pb.ClientMessage(request_id=1)
    payloads = Payloads(('step',))
    encode_step(contribution, pre.client.session, 1, 0, message.step, payloads)
    frame = bytes(encode(message, payloads))
    parsed = pb.ClientMessage.FromString(frame)
    pre.zero_statistics()
    return {s.block: getattr(s, s.WhichOneof('kind')) for s in parsed.step.statistics}, len(frame)


def wire_factors(message: Any, outputs: int, order: int) -> Tuple[np.ndarray, np.ndarray]:
    """L and R of a parsed ``KroneckerStatistics.sum_factors`` in float64."""
    assert message.HasField('sum_factors') and not message.sum, 'the block should send its sum as factors'
    f = message.sum_factors
    encoding = _ENCODING_NAMES[message.encoding]
    left = decode_vector(f.output_grads, encoding)  # type: ignore[arg-type]
    right = decode_vector(f.inputs, encoding)  # type: ignore[arg-type]
    assert left.size == f.rank * outputs and right.size == f.rank * order
    return left.reshape(f.rank, outputs), right.reshape(f.rank, order)


def wire_sum(message: Any, layer: nn.Module) -> np.ndarray:
    """Lᵀ R of the parsed factors in the block's layout (float64)."""
    order = layer.weight[0].numel() + int(has_bias(layer))
    left, right = wire_factors(message, layer.weight.shape[0], order)
    return gradient_factors_sum(GradientFactors(left, right), has_bias(layer))


def kfac(**options: Any) -> Dict[str, Any]:
    return dict(optimizer=Optimizer('efgd', step_size=1.0, damping=0.1), sender=KroneckerSender(**options))


@pytest.mark.parametrize('reduction', ['mean', 'sum'])
@pytest.mark.parametrize('bias', [True, False], ids=['bias', 'no-bias'])
def test_linear_layers_send_their_rows_whose_product_is_the_dense_sum(daemon: LocalDaemon, bias: bool, reduction: str) -> None:
    """Linear(20→30) → Tanh → Linear(30→10), b = 4 (4·(30+21) < 30·21, 4·(10+31) < 10·31): each block
    sends rank 4, L's rows are the output gradients as the backward held them (scaled by the mean's 1/b
    like the dense sum), R's rows the inputs with the bias's 1 last, and Lᵀ R is today's dense sum
    ([W.grad, b.grad]): exactly from the hooks' tensors, to float32 rounding from the wire."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 30, bias=bias), nn.Tanh(), nn.Linear(30, 10, bias=bias)).double()
    linears = {'0': model[0], '2': model[2]}
    b = 4
    x = torch.randn(b, 20, dtype=torch.float64)
    with preconditioner(model, daemon.url, reduction=reduction, **kfac()) as pre:
        seen: Dict[str, Tuple[torch.Tensor, torch.Tensor]] = {}
        handles = [layer.register_forward_hook(lambda m, a, z, n=n: seen.__setitem__(n, (a[0].detach(), z)))
                   for n, layer in linears.items()]
        out = model(x)
        zs = [seen[n][1] for n in linears]
        loss = out.pow(2).sum(dim=1)
        loss = loss.mean() if reduction == 'mean' else loss.sum()
        with pre.paused():
            es = dict(zip(linears, torch.autograd.grad(loss, zs, retain_graph=True)))
        loss.backward()
        layers = {layer.block: layer for layer in pre.statistics()}
        for n, layer in linears.items():
            sent = layers[n]
            assert sent.moments.sum is None and sent.sum_factors is not None and sent.sum_factors.rank == b
            inputs = seen[n][0]
            want_right = torch.cat([inputs, torch.ones(b, 1, dtype=torch.float64)], dim=1) if bias else inputs
            assert torch.equal(sent.sum_factors.output_grads, es[n])  # e as held: the mean's 1/b included
            assert torch.equal(sent.sum_factors.inputs, want_right)
            dense = grad_vector(layer)
            assert max_relative(gradient_factors_sum(sent.sum_factors, bias), dense) < EXACT
        wire, _ = on_the_wire(pre)
        for n, layer in linears.items():
            assert max_relative(wire_sum(wire[n], layer), grad_vector(layer)) < WIRE_RTOL['float32']
        for h in handles:
            h.remove()


@pytest.mark.parametrize('encoding', ['float16', 'bfloat16'])
def test_the_factors_travel_in_the_contributions_encoding(daemon: LocalDaemon, encoding: str) -> None:
    """float16 / bfloat16 apply to L and R as to the dense sum: the message says the encoding, every value
    is the encoding's rounding of the hooks' float64 factor (bit for bit), and Lᵀ R is the sum to the
    encoding's precision."""
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(24, 16)).double()
    x = torch.randn(3, 24, dtype=torch.float64)
    with preconditioner(model, daemon.url, **kfac(encoding=encoding)) as pre:
        model(x).pow(2).mean().backward()
        sent = pre.statistics()[0].sum_factors
        assert sent is not None
        wire, _ = on_the_wire(pre, encoding)
        left, right = wire_factors(wire['0'], 16, 25)
        for got, want in ((left, sent.output_grads), (right, sent.inputs)):
            # float16 rounds the float64 value once (numpy's, as the encoder); bfloat16 goes through float32
            rounded = want.numpy().astype(np.float16) if encoding == 'float16' else want.float().to(torch.bfloat16).double().numpy()
            assert np.array_equal(got, rounded.astype(np.float64))
        assert max_relative(wire_sum(wire['0'], model[0]), grad_vector(model[0])) < WIRE_RTOL[encoding]


@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_micro_batches_concatenate_their_rows_and_the_size_rule_applies_to_the_total(daemon: LocalDaemon, reduction: str) -> None:
    """Two backward passes of 3 examples each before one step: Linear(16→20) keeps rank 6 (6·37 < 20·17),
    its Lᵀ R the accumulated gradient; Linear(20→4) passes the rule with one micro-batch (3·25 < 4·21 = 84)
    but not with both (6·25 ≥ 84): its sum is dense, the accumulated gradient. A third step with one
    micro-batch sends that layer as factors again (the rule is per step)."""
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(16, 20), nn.Tanh(), nn.Linear(20, 4)).double()
    xs = [torch.randn(3, 16, dtype=torch.float64) for _ in range(3)]
    with preconditioner(model, daemon.url, reduction=reduction, **kfac()) as pre:
        for x in xs[:2]:
            loss = model(x).pow(2).sum(dim=1)
            (loss.sum() / 6 if reduction == 'mean' else loss.sum()).backward()
        layers = {layer.block: layer for layer in pre.statistics()}
        first, last = layers['0'], layers['2']
        assert first.moments.sum is None and first.sum_factors is not None and first.sum_factors.rank == 6
        assert max_relative(gradient_factors_sum(first.sum_factors, True), grad_vector(model[0])) < EXACT
        assert last.sum_factors is None and max_relative(last.moments.sum.numpy(), grad_vector(model[2])) < EXACT
        wire, _ = on_the_wire(pre)
        assert max_relative(wire_sum(wire['0'], model[0]), grad_vector(model[0])) < WIRE_RTOL['float32']
        assert not wire['2'].HasField('sum_factors') and len(wire['2'].sum) == 4 * 4 * 21
        model.zero_grad()
        model(xs[2]).pow(2).sum(dim=1).mean().backward()
        again = {layer.block: layer for layer in pre.statistics()}['2']
        assert again.sum_factors is not None and again.sum_factors.rank == 3
        pre.zero_statistics()


def test_the_size_rule_is_strict_and_small_layers_stay_dense(daemon: LocalDaemon) -> None:
    """Linear(3→4) with a bias: out·in' = 16 = 2·(4 + 4), so b = 2 is dense (not fewer values) and b = 1
    goes as factors; so does Linear(4→2) (out·in' = 10: 2·7 is not fewer, 1·7 is); gradient_factors='never'
    is dense at b = 1 too."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    for b, factors in ((2, False), (1, True)):
        with preconditioner(model, daemon.url, **kfac()) as pre:
            model.zero_grad()
            model(torch.randn(b, 3, dtype=torch.float64)).sum().backward()
            layers = {layer.block: layer for layer in pre.statistics()}
            assert (layers['0'].sum_factors is not None) == factors, b
            assert layers['2'].sum_factors is None or b == 1
            if not factors:
                assert max_relative(layers['0'].moments.sum.numpy(), grad_vector(model[0])) < EXACT
    with preconditioner(model, daemon.url, **kfac(gradient_factors='never')) as pre:
        model.zero_grad()
        model(torch.randn(1, 3, dtype=torch.float64)).sum().backward()
        assert all(layer.sum_factors is None and layer.moments.sum is not None for layer in pre.statistics())
        wire, _ = on_the_wire(pre)
        assert all(not m.HasField('sum_factors') for m in wire.values())
    with pytest.raises(ValueError, match='gradient_factors'):
        KroneckerSender(gradient_factors='always')  # type: ignore[arg-type]


def test_sequences_and_convolutions_send_rows_per_position_when_that_is_fewer_values(daemon: LocalDaemon) -> None:
    """A Linear(40→50) on (2, 3, 40) tokens: rank b·T = 6 (6·91 < 50·41), rows in (example, token) order;
    a Conv2d(16→32, 3×3) on 2×16×4×4 images (2×2 outputs): rank b·R = 8 (8·177 < 32·145), R's rows the
    unfolded patches; both Lᵀ R = the dense sum. The small CNN conv of the benchmarks, Conv2d(1→8, 3×3,
    padding 1) on 28×28 images, stays dense even at b = 1 (784·(8 + 10) ≥ 8·10)."""
    torch.manual_seed(4)

    class Tokens(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.proj = nn.Linear(40, 50)
            self.conv = nn.Conv2d(16, 32, 3)

        def forward(self, pair: torch.Tensor) -> torch.Tensor:
            tokens, images = pair[:, :120].reshape(-1, 3, 40), pair[:, 120:].reshape(-1, 16, 4, 4)
            return self.proj(tokens).pow(2).sum(dim=(1, 2)) + self.conv(images).pow(2).sum(dim=(1, 2, 3))

    model = Tokens().double()
    x = torch.randn(2, 120 + 256, dtype=torch.float64)
    with preconditioner(model, daemon.url, **kfac()) as pre:
        model(x).mean().backward()
        layers = {layer.block: layer for layer in pre.statistics()}
        assert layers['proj'].sum_factors.rank == 6 and layers['conv'].sum_factors.rank == 8
        for name in ('proj', 'conv'):
            layer = getattr(model, name)
            assert max_relative(gradient_factors_sum(layers[name].sum_factors, True), grad_vector(layer)) < EXACT
        wire, _ = on_the_wire(pre)
        for name in ('proj', 'conv'):
            assert max_relative(wire_sum(wire[name], getattr(model, name)), grad_vector(getattr(model, name))) < WIRE_RTOL['float32']

    cnn = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 28 * 28, 10)).double()
    with preconditioner(cnn, daemon.url, **kfac()) as pre:
        cnn(torch.randn(1, 1, 28, 28, dtype=torch.float64)).sum().backward()
        layers = {layer.block: layer for layer in pre.statistics()}
        assert layers['0'].sum_factors is None and max_relative(layers['0'].moments.sum.numpy(), grad_vector(cnn[0])) < EXACT
        assert layers['3'].sum_factors is not None  # the wide Linear: 1·(10 + 6273) < 10·6273


def test_steps_between_factor_updates_send_factors_too(daemon: LocalDaemon) -> None:
    """factors_from='sending_step', factors_every=3: steps 2 and 3 compute no factor sums, but their gradient
    sums still go as factors (the hooks keep the inputs and output gradients every step)."""
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(12, 10)).double()
    with preconditioner(model, daemon.url, **kfac(factors_every=3, factors_from='sending_step')) as pre:
        for step in range(1, 4):
            model.zero_grad()
            model(torch.randn(2, 12, dtype=torch.float64)).pow(2).mean().backward()
            assert pre.sender.computes_factors() == (step == 1)
            wire, _ = on_the_wire(pre)
            assert wire['0'].HasField('factors') == (step == 1)
            assert max_relative(wire_sum(wire['0'], model[0]), grad_vector(model[0])) < WIRE_RTOL['float32'], step


def test_a_float32_linear_without_bias_sends_its_input_and_gradient_without_a_copy(daemon: LocalDaemon) -> None:
    """The packed encoding's efficiency: with one micro-batch and no bias, R is the layer's input tensor itself
    and L the gradient the backward held (no copy), and the encoded float32 arrays are their memory; with
    a bias, R is one contiguous (b, in + 1) tensor."""
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(64, 32, bias=False), nn.Linear(32, 48))
    x = torch.randn(4, 64)
    with preconditioner(model, daemon.url, **kfac()) as pre:
        model(x).pow(2).mean().backward()
        layers = {layer.block: layer for layer in pre.statistics()}
        first, second = layers['0'].sum_factors, layers['1'].sum_factors
        assert first.inputs.data_ptr() == x.data_ptr()
        assert second.inputs.is_contiguous() and second.inputs.shape == (4, 33)
        from fisherd_client.statistics import encode_array
        for t in (first.output_grads, first.inputs, second.output_grads, second.inputs):
            assert t.is_contiguous() and t.dtype == torch.float32
            assert np.shares_memory(encode_array(t, 'float32'), t.numpy())
        pre.zero_statistics()


def test_the_encoder_checks_sum_factors() -> None:
    """Exactly one of sum and sum_factors; L rank × out and R rank × in' with the same rank ≥ 1; finite."""
    blocks = [Block('fc', 3 * 5, Kronecker(3, 4, True))]
    left, right = np.ones((2, 3)), np.ones((2, 5))

    def encode_one(entry: KroneckerStatistics) -> Any:
        out = pb.StepContribution()
        encode_statistics([entry], 'float32', blocks, 15, 2, 1, out.statistics)
        return out.statistics[0].kronecker

    message = encode_one(KroneckerStatistics(count=2, block='fc', sum_factors=GradientFactors(left, right)))
    assert message.sum_factors.rank == 2 and message.sum == b''
    assert decode_vector(message.sum_factors.inputs, 'float32').tolist() == [1.0] * 10
    cases: List[Tuple[KroneckerStatistics, str]] = [
        (KroneckerStatistics(count=2, block='fc'), 'MISSING_INPUT'),
        (KroneckerStatistics(count=2, block='fc', sum=np.zeros(15), sum_factors=GradientFactors(left, right)), 'INVALID_CONFIG'),
        (KroneckerStatistics(count=2, block='fc', sum_factors=GradientFactors(left, np.ones((2, 4)))), 'SHAPE_MISMATCH'),
        (KroneckerStatistics(count=2, block='fc', sum_factors=GradientFactors(left, np.ones((3, 5)))), 'SHAPE_MISMATCH'),
        (KroneckerStatistics(count=2, block='fc', sum_factors=GradientFactors(np.ones((0, 3)), np.ones((0, 5)))), 'SHAPE_MISMATCH'),
        (KroneckerStatistics(count=2, block='fc', sum_factors=GradientFactors(left * np.inf, right)), 'NON_FINITE'),
    ]
    for entry, code in cases:
        with pytest.raises(FisherdError) as caught:
            encode_one(entry)
        assert caught.value.code == code, (entry, caught.value)


def test_step_input_with_sum_factors_reaches_encode_step(daemon: LocalDaemon) -> None:
    """A client without hooks can send ``sum_factors`` itself (``StepInput(statistics=[...])``)."""
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(10, 8)).double()
    with preconditioner(model, daemon.url, **kfac()) as pre:
        session = pre.client.session
    left, right = np.random.default_rng(0).standard_normal((2, 8)), np.random.default_rng(1).standard_normal((2, 11))
    step = StepInput(reduction='sum', batch_size=2, statistics=[
        KroneckerStatistics(count=2, block='0', sum_factors=GradientFactors(left, right))])
    out = pb.StepContribution()
    encode_step(step, session, 1, 0, out)
    got = out.statistics[0].kronecker.sum_factors
    assert got.rank == 2
    np.testing.assert_array_equal(decode_vector(got.output_grads, 'float32'), left.astype(np.float32).reshape(-1))


# ---- against the daemon: the update does not change, the bytes up do ------------------------------------

def record_contributions(pre: Preconditioner, into: List[StepInput]) -> None:
    """Appends every contribution the preconditioner's sender makes to ``into``."""
    contribution = pre.sender.contribution

    def recorded(*args: Any) -> StepInput:
        into.append(contribution(*args))
        return into[-1]

    pre.sender.contribution = recorded  # type: ignore[method-assign]


def frame_bytes(pre: Preconditioner, step: StepInput, number: int) -> int:
    """The length of the step's ClientMessage frame as the client encodes it (payloads laid out from the arrays)."""
    message = pb.ClientMessage(request_id=1)
    payloads = Payloads(('step',))
    encode_step(step, pre.client.session, number, 0, message.step, payloads)
    return len(encode(message, payloads))


@pytest.mark.parametrize('options,ema_decay', [({}, None), ({'damping': 'pi'}, None),
                                               ({'eigenvalue_corrected': True, 'refresh_every': 2}, None), ({}, 0.9)],
                         ids=['tikhonov', 'pi', 'ekfac', 'tikhonov-ema'])
def test_auto_and_never_give_the_same_update_with_fewer_bytes_up(daemon: LocalDaemon, options: Dict[str, Any],
                                                                  ema_decay: Any) -> None:
    """A float32 MLP Linear(32→48) → Tanh → Linear(48→40, no bias) → Tanh → Linear(40→10), b = 4 (every layer's
    rule holds: 4·81 < 48·33, 4·88 < 40·48, 4·51 < 10·41), ngd with K = 1 sampled label, factors every 2
    steps (Tikhonov, π-damping, EKFAC refreshing every 2 factor updates: the daemon's solve from the factors;
    Tikhonov with ema_decay 0.9: the daemon forms the sums for ḡ's EMA), 6 steps: two preconditioners in
    lockstep on two copies of the model, 'auto' (the gradient sums as
    factors) and 'never' (dense), both models moved by the 'never' run's Δθ (θ ← θ + Δθ) so that they stay
    equal and the sampled labels (same generator seed) too. Every step's Δθ agrees to float32 rounding,
    1e-5 of max |Δθ| (the sums differ by float32 rounding in another order, the solve route by rounding),
    and every step's frame is smaller with 'auto'."""
    torch.manual_seed(8)
    models = {'auto': nn.Sequential(nn.Linear(32, 48), nn.Tanh(), nn.Linear(48, 40, bias=False), nn.Tanh(), nn.Linear(40, 10))}
    models['never'] = copy.deepcopy(models['auto'])
    sent: Dict[str, List[StepInput]] = {'auto': [], 'never': []}
    with contextlib.ExitStack() as stack:
        pres: Dict[str, Preconditioner] = {}
        for mode, model in models.items():
            pre = pres[mode] = stack.enter_context(preconditioner(
                model, daemon.url, optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2), likelihood='cross_entropy',
                ema_decay=ema_decay, generator=torch.Generator().manual_seed(4),
                sender=KroneckerSender(factors_every=2, gradient_factors=mode, **options)))  # type: ignore[arg-type]
            record_contributions(pre, sent[mode])
        data = torch.Generator().manual_seed(3)
        errors: List[float] = []
        sizes: Dict[str, List[int]] = {'auto': [], 'never': []}
        for step in range(1, 7):
            x = torch.randn(4, 32, generator=data)
            y = torch.randint(0, 10, (4,), generator=data)
            deltas = {}
            for mode, model in models.items():
                model.zero_grad()
                loss = nn.functional.cross_entropy(model(x), y)
                loss.backward()
                update = pres[mode].step(loss=float(loss))
                assert update is not None, (mode, step)
                deltas[mode] = update.delta.astype(np.float64)
                sizes[mode].append(frame_bytes(pres[mode], sent[mode][-1], step))
            assert sorted(s.block for s in sent['auto'][-1].statistics if s.sum_factors is not None) == ['0', '2', '4']
            assert all(s.sum_factors is None for s in sent['never'][-1].statistics)
            errors.append(max_relative(deltas['auto'], deltas['never']))
            with torch.no_grad():  # θ ← θ + Δθ_never for both (p.grad = −Δθ of the never run)
                for p, q in zip(models['never'].parameters(), models['auto'].parameters()):
                    p.sub_(p.grad)
                    q.copy_(p)
    print(f'max |Δθ_auto − Δθ_never| / max |Δθ_never| per step: {", ".join(f"{e:.2g}" for e in errors)}')
    print(f'bytes up per step, auto: {sizes["auto"]}, never: {sizes["never"]}')
    assert max(errors) < 1e-5
    assert all(a < b for a, b in zip(sizes['auto'], sizes['never']))


@pytest.mark.parametrize('mode', ['allreduce', 'workers'])
def test_data_parallel_workers_send_their_own_factors_and_allreduce_sends_dense_sums(tmp_path: Path, daemon: LocalDaemon,
                                                                                     mode: str) -> None:
    """Two ranks (gloo) with 5 and 7 of 12 examples, ngd, the wide model of tests/dist_worker.py (its last
    Linear 48→64: rank 12·113 < 64·49): the single process sends that block's sum as rank-12 factors,
    each 'workers' rank its own (rank 5 and 7), 'allreduce' the merged dense sum (factors do not add); every
    step's Δθ is the single process's to 1e-5 of max |Δθ| (tests/test_torch_kfac_sending_step.py's
    data-parallel tolerance: float64 merges, float32 on the wire, amplified by the damped solve)."""
    from test_torch_distributed import _close, _run
    extra = dict(steps=2, wide=True, kfac={'gradient_factors': 'auto'})
    reference = _run(tmp_path, 'reference', [daemon.url], 'off', 'ngd', 1, **extra)[0]
    ranks = _run(tmp_path, mode, [daemon.url], mode, 'ngd', 2, **extra)
    assert [s['4'] for s in reference['sum_factors']] == [12, 12] and reference['sum_factors'][0]['0'] is None
    for rank, record in enumerate(ranks):
        want = (5, 7)[rank] if mode == 'workers' else None
        assert [s['4'] for s in record['sum_factors']] == [want, want]
        for step in range(2):
            _close(record['deltas'][step], reference['deltas'][step], 1e-5, f'rank {rank} step {step + 1} Δθ')
