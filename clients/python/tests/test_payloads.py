"""Local encoding and checks (no daemon): float32 bytes, shapes against the session, NaN/Inf, config."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from fisherd_client import (
    Adam, Block, Cosine, Exponential, FisherdError, NonFiniteError, Optimizer, Piecewise, SessionConfig,
    ShapeError, StepInput, Structure, Track, Warmup,
)
from fisherd_client import fisherd_pb2 as pb
from fisherd_client.config import config_from_wire, config_to_wire
from fisherd_client.payloads import read_float32, to_float32
from fisherd_client.results import SessionInfo
from fisherd_client.resume import plan_resume
from fisherd_client.step_input import encode_step

BLOCKS = (Block('w', 6, Structure('full')), Block('b', 2, Structure('diagonal')))
SESSION = SessionInfo('s', 0, SessionConfig(dim=8, optimizer=Optimizer('sgd', 0.1), blocks=BLOCKS), BLOCKS)


def encode(**fields: object) -> pb.StepContribution:
    out = pb.StepContribution()
    encode_step(StepInput(**fields), SESSION, 1, 0, out)  # type: ignore[arg-type]
    return out


def test_float32_bytes_are_little_endian_ieee_rounded_to_nearest() -> None:
    # Values that float32 cannot hold exactly, including a tie (1 + 2^-24 rounds to even: 1.0).
    values = [0.1, -1 / 3, 1 + 2 ** -24, 1 + 3 * 2 ** -24, 3.4e38, 1e-45, -0.0]
    expected = b''.join(struct.pack('<f', v) for v in values)  # CPython's IEEE round-to-nearest-even
    got = encode(reduction='sum', mean_grad=np.array(values + [0.0]), batch_size=1).mean_grad
    assert got[:4 * len(values)] == expected


def test_rows_go_row_major_and_blocks_concatenate_in_session_order() -> None:
    g = np.arange(3 * 8, dtype=np.float64).reshape(3, 8)
    flat = encode(reduction='sum', per_example_grads=g)
    assert flat.batch_size == 3 and flat.per_example_grads == g.astype('<f4').tobytes()
    # Blocks given in another order and shape (b, 2, 3) for w: same bytes.
    by_block = encode(reduction='sum', per_example_grads={'b': g[:, 6:], 'w': g[:, :6].reshape(3, 2, 3)})
    assert by_block.per_example_grads == flat.per_example_grads


def test_sampled_label_grads_from_3d_or_2d_with_k() -> None:
    g = np.random.default_rng(1).standard_normal((2, 3, 8))
    three_d = encode(reduction='sum', mean_grad=np.zeros(8), sampled_label_grads=g)
    two_d = encode(reduction='sum', mean_grad=np.zeros(8), sampled_label_grads=g.reshape(6, 8), samples_per_example=3)
    assert three_d.sampled_label_grads.samples_per_example == 3 == two_d.sampled_label_grads.samples_per_example
    assert three_d.sampled_label_grads.rows == two_d.sampled_label_grads.rows == g.astype('<f4').tobytes()
    assert three_d.batch_size == 2


@pytest.mark.parametrize('fields, field, says', [
    (dict(per_example_grads=np.zeros((4, 7))), 'per_example_grads', "session's dim is 8"),
    (dict(per_example_grads=np.zeros(8)), 'per_example_grads', 'expected (b, 8)'),
    (dict(per_example_grads={'w': np.zeros((4, 6))}), 'per_example_grads', "lacks block 'b'"),
    (dict(per_example_grads={'w': np.zeros((4, 5)), 'b': np.zeros((4, 2))}), "per_example_grads['w']", 'has size 6'),
    (dict(per_example_grads={'w': np.zeros((4, 6)), 'b': np.zeros((3, 2))}), "per_example_grads['b']", 'other blocks have (4,)'),
    (dict(per_example_grads=np.zeros((4, 8)), batch_size=5), 'per_example_grads', 'batch_size says 5'),
    (dict(per_example_grads=np.zeros((4, 8)), sampled_label_grads=np.zeros((3, 1, 8))), 'sampled_label_grads',
     'per_example_grads says 4'),
    (dict(mean_grad=np.zeros(8), sampled_label_grads=np.zeros((5, 8)), samples_per_example=2, batch_size=2),
     'sampled_label_grads', 'not a multiple of samples_per_example = 2'),
    (dict(mean_grad=np.zeros(8)), 'batch_size', 'is required when only mean_grad is sent'),
    (dict(mean_grad=np.zeros(9), batch_size=2), 'mean_grad', "session's dim is 8"),
    (dict(per_example_grads=np.zeros((0, 8))), 'batch_size', 'must be ≥ 1'),
    (dict(per_example_grads=np.array([['a'] * 8])), 'per_example_grads', 'must hold real numbers'),
])
def test_shape_errors_name_the_field_and_what_to_fix(fields: dict, field: str, says: str) -> None:
    with pytest.raises(ShapeError) as caught:
        encode(reduction='sum', **fields)
    error = caught.value
    assert (error.code, error.field, error.step, error.local) == ('SHAPE_MISMATCH', field, 1, True)
    assert says in error.message


def test_unknown_blocks_and_missing_inputs_are_typed() -> None:
    with pytest.raises(FisherdError) as caught:
        encode(reduction='sum', per_example_grads={'w': np.zeros((1, 6)), 'b': np.zeros((1, 2)), 'c': np.zeros((1, 1))})
    assert caught.value.code == 'UNKNOWN_BLOCK' and "'c'" in caught.value.message
    with pytest.raises(FisherdError) as caught:
        encode(reduction='sum', sampled_label_grads=np.zeros((1, 1, 8)))
    assert caught.value.code == 'MISSING_INPUT'
    with pytest.raises(FisherdError) as caught:
        encode(per_example_grads=np.zeros((1, 8)))
    assert caught.value.code == 'INVALID_CONFIG' and caught.value.field == 'reduction'


@pytest.mark.parametrize('bad, shown', [(np.nan, 'nan'), (np.inf, 'inf'), (-np.inf, '-inf'), (1e39, 'overflows float32')])
def test_non_finite_values_are_refused_with_their_index(bad: float, shown: str) -> None:
    g = np.ones((3, 8))
    g[2, 5] = bad
    with pytest.raises(NonFiniteError) as caught:
        encode(reduction='sum', per_example_grads=g)
    assert caught.value.code == 'NON_FINITE' and caught.value.field == 'per_example_grads'
    assert 'per_example_grads[2, 5]' in caught.value.message and shown in caught.value.message
    with pytest.raises(NonFiniteError):
        encode(reduction='sum', per_example_grads=np.ones((3, 8)), loss=float('nan'))


def test_torch_tensors_are_accepted_without_torch_in_the_client() -> None:
    torch = pytest.importorskip('torch')
    g = torch.randn(2, 8, requires_grad=True) * 2
    assert encode(reduction='sum', per_example_grads=g).per_example_grads == g.detach().numpy().astype('<f4').tobytes()


def test_reading_float32_checks_the_length_and_copies() -> None:
    data = np.array([1.5, -2.0], dtype='<f4').tobytes()
    out = read_float32(data, 'update.delta', 2)
    out[0] = 7  # writable: not a view of the immutable bytes
    with pytest.raises(ShapeError):
        read_float32(data, 'update.delta', 3)
    assert to_float32([1, 2], 'x', None).dtype == np.dtype('<f4')


def test_config_round_trips_through_the_wire() -> None:
    config = SessionConfig(
        dim=8,
        blocks=BLOCKS,
        optimizer=Optimizer(
            'snr', step_size=Warmup(5, Cosine(0.1, 100, 0.01), start=0.001),
            damping=Exponential(1e-2, 0.5, 10, staircase=True, transition_begin=3, end_value=1e-5),
            momentum=0.9, weight_decay=1e-4, snr_variance='moments', msvag_decay=0.8, adam=Adam(b1=0.8)),
        ema_decay=0.95, fisher_source='exact', workers=2, dataset_size=569, record=True, backend='reference',
        track=Track(empirical_fisher=True, fisher=True),
    )
    wire = pb.SessionConfig.FromString(config_to_wire(config).SerializeToString())
    assert config_from_wire(wire) == config
    piecewise = SessionConfig(dim=3, structure=Structure('lowrank', 2), optimizer=Optimizer('va', Piecewise(0.5, ((10, 0.1),))))
    assert config_from_wire(config_to_wire(piecewise)).optimizer == piecewise.optimizer
    assert config_from_wire(config_to_wire(piecewise)).structure == Structure('lowrank', 2)


def test_config_values_the_wire_cannot_hold_are_refused_before_sending() -> None:
    with pytest.raises(FisherdError) as caught:
        config_to_wire(SessionConfig(dim=2, optimizer=Optimizer('lbfgs', 0.1)))  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field, caught.value.local) == ('INVALID_CONFIG', 'optimizer.name', True)
    with pytest.raises(FisherdError) as caught:
        config_to_wire(SessionConfig(dim=2, structure='dense', optimizer=Optimizer('sgd', 0.1)))  # type: ignore[arg-type]
    assert caught.value.field == 'structure.kind'


def test_resume_plan_answers_resends_or_fails_each_pending_step() -> None:
    # Steps 3..6 pending (request ids 13..16, given out of order); the session resumed at 3 with step 3's update.
    plan = plan_resume([(15, 5), (13, 3), (16, 6), (14, 4)], resumed_step=3, last_update_step=3)
    assert (plan.from_last_update, plan.resend, plan.gaps, plan.next_step) == ([13], [14, 15, 16], [], 7)
    # A restart from the step-2 checkpoint: step 3 goes again; 5 after a gap (4 was never sent) fails.
    plan = plan_resume([(13, 3), (15, 5)], resumed_step=2, last_update_step=2)
    assert (plan.from_last_update, plan.resend, plan.gaps, plan.next_step) == ([], [13], [(15, 5)], 4)
    # Resumed behind the client (the step it waits for is lost): RESUME_GAP, and the next step is 2.
    plan = plan_resume([(14, 4)], resumed_step=1, last_update_step=1)
    assert (plan.from_last_update, plan.resend, plan.gaps, plan.next_step) == ([], [], [(14, 4)], 2)
