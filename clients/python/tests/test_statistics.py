"""Statistics contributions from Python against the real daemon: the same rows sent as rows and as their
diagonal moments give the same update (to float32 rounding of the wire), for every rule that reads them;
the 2-byte encodings round as the daemon decodes; bad statistics are refused before sending."""
from __future__ import annotations

import numpy as np
import pytest

from fisherd_client import Block, Client, FisherdError, LocalDaemon, Optimizer, SessionConfig, StepInput
from fisherd_client.statistics import decode_vector, diagonal_moments_from_rows, encode_vector

BLOCKS = [Block('w', 6), Block('b', 2)]
D = 8


def rows(seed: int, b: int = 5, k: int = 2) -> tuple:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((b, D)) + 0.5, rng.standard_normal((b, k, D))


def per_block(g: np.ndarray, g_tilde: np.ndarray) -> list:
    out, offset = [], 0
    for block in BLOCKS:
        part = slice(offset, offset + block.size)
        out.append(diagonal_moments_from_rows(g[:, part], sampled=g_tilde[:, :, part], block=block.name))
        offset += block.size
    return out


@pytest.mark.parametrize('name', ['sgd', 'ngd', 'efgd', 'snr', 'va'])
@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_statistics_give_the_rows_update(daemon: LocalDaemon, name: str, reduction: str) -> None:
    config = SessionConfig(dim=D, blocks=BLOCKS, ema_decay=0.5, optimizer=Optimizer(name, step_size=0.5, damping=1e-2))
    with Client.connect(daemon.url) as by_rows, Client.connect(daemon.url) as by_stats:
        by_rows.open_session(config)
        by_stats.open_session(config)
        for step in range(1, 4):
            g, g_tilde = rows(step)
            b = g.shape[0]
            held, held_tilde = (g / b, g_tilde / b) if reduction == 'mean' else (g, g_tilde)
            # Rows rounded to float32 first, as the rows path sends them.
            held, held_tilde = held.astype(np.float32).astype(np.float64), held_tilde.astype(np.float32).astype(np.float64)
            expected = by_rows.step(StepInput(reduction=reduction, per_example_grads=held, sampled_label_grads=held_tilde)).delta
            got = by_stats.step(StepInput(reduction=reduction, batch_size=b, statistics=per_block(held, held_tilde))).delta
            # float32 sums on the wire vs float64 sums of float32 rows in the daemon: relative 1e-6.
            np.testing.assert_allclose(got, expected, rtol=2e-5, atol=1e-6 * np.abs(expected).max())
        by_rows.close_session(discard=True)
        by_stats.close_session(discard=True)


@pytest.mark.parametrize('encoding,bits', [('float32', 24), ('float16', 11), ('bfloat16', 8)])
def test_encodings_round_to_nearest(encoding: str, bits: int) -> None:
    x = np.random.default_rng(0).standard_normal(1000) * 10
    back = decode_vector(encode_vector(x, encoding), encoding)
    assert np.all(np.abs(back - x) <= np.abs(x) * 2.0 ** -bits)
    # Exactly representable values survive; ties go to even (bfloat16: 1 + 2^-8 is a tie → 1).
    assert decode_vector(encode_vector(np.array([1.5, -2.0, 0.0]), encoding), encoding).tolist() == [1.5, -2.0, 0.0]
    if encoding == 'bfloat16':
        assert decode_vector(encode_vector(np.array([1 + 2 ** -8, 1 + 3 * 2 ** -8]), encoding), encoding).tolist() == [1.0, 1 + 2 ** -6]


def test_half_statistics_reach_the_daemon(daemon: LocalDaemon) -> None:
    config = SessionConfig(dim=D, blocks=BLOCKS, optimizer=Optimizer('efgd', step_size=1.0, damping=1e-2))
    g, _ = rows(7)
    with Client.connect(daemon.url) as c:
        c.open_session(config)
        stats = per_block(g, np.zeros((5, 1, D)))
        got = c.step(StepInput(reduction='sum', batch_size=5, statistics=stats, statistics_encoding='bfloat16')).delta
        c.close_session(discard=True)
    mean, ef = g.mean(axis=0), (g * g).mean(axis=0)
    np.testing.assert_allclose(got, -mean / (ef + 1e-2), rtol=2 ** -6)


def test_bad_statistics_are_refused_before_sending(daemon: LocalDaemon) -> None:
    config = SessionConfig(dim=D, blocks=BLOCKS, optimizer=Optimizer('efgd', step_size=1.0))
    g, _ = rows(1)
    with Client.connect(daemon.url) as c:
        c.open_session(config)
        stats = per_block(g, np.zeros((5, 1, D)))
        with pytest.raises(FisherdError) as e:
            c.step(StepInput(reduction='sum', batch_size=4, statistics=stats))
        assert (e.value.code, e.value.field, e.value.local) == ('SHAPE_MISMATCH', 'statistics[0].count', True)
        stats[1].sum_squares = -np.ones(2)
        with pytest.raises(FisherdError) as e:
            c.step(StepInput(reduction='sum', batch_size=5, statistics=stats))
        assert (e.value.code, e.value.field) == ('INVALID_CONFIG', 'statistics[1].sum_squares')
        stats[1].sum_squares = np.full(2, 1e6)
        with pytest.raises(FisherdError) as e:
            c.step(StepInput(reduction='sum', batch_size=5, statistics=stats, statistics_encoding='float16'))
        assert (e.value.code, e.value.field) == ('NON_FINITE', 'statistics[1].sum_squares')
        # The daemon's own check: efgd needs sum_squares.
        stats[1].sum_squares = None
        with pytest.raises(FisherdError) as e:
            c.step(StepInput(reduction='sum', batch_size=5, statistics=stats))
        assert e.value.code == 'MISSING_INPUT' and not e.value.local and 'sumSquares' in str(e.value)
        c.close_session(discard=True)


@pytest.mark.parametrize('encoding', ['float32', 'float16', 'bfloat16'])
def test_vector_checks_take_finite_values_whose_sum_overflows_and_name_the_first_bad_one(encoding: str) -> None:
    from fisherd_client.statistics import _checked_factor, _checked_vector
    big = 6e4 if encoding == 'float16' else 3e38  # finite in the encoding, their sum is not
    values = np.array([big, big, -big, 1.0])
    np.testing.assert_array_equal(decode_vector(_checked_vector(values, 4, encoding, 'v', 1).tobytes(), encoding),
                                  decode_vector(encode_vector(values, encoding), encoding))
    for bad, code in ((np.nan, 'NON_FINITE'), (np.inf, 'NON_FINITE'), (-np.inf, 'NON_FINITE')):
        broken = values.copy()
        broken[2] = bad
        with pytest.raises(FisherdError) as e:
            _checked_vector(broken, 4, encoding, 'v', 1)
        assert (e.value.code, e.value.field) == (code, 'v') and 'v[2]' in str(e.value)
    # A factor's diagonal (packed positions i·n − i(i−1)/2) must be ≥ 0; the off-diagonal entries may be < 0.
    n = 5
    m = -np.ones((n, n))
    np.fill_diagonal(m, 2.0)
    _checked_factor(m, n, encoding, 'f', 1)
    m[3, 3] = -1.0
    with pytest.raises(FisherdError) as e:
        _checked_factor(m, n, encoding, 'f', 1)
    assert e.value.code == 'INVALID_CONFIG' and 'f[3][3]' in str(e.value)
