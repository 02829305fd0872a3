"""Each step's diagnostics as a flat dict, written to a TensorBoard SummaryWriter (a fake one with the same
``add_scalar`` signature; the real one where tensorboard is installed) and to a W&B-style callable; named
sessions through the Python client against the real daemon."""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pytest

from fisherd_client import (
    Client, Diagnostics, FisherdError, LocalDaemon, MetricsLogger, Optimizer, SessionConfig, Track, Update,
    log_metrics, tensorboard_writer,
)

D = 6


class FakeSummaryWriter:
    """torch.utils.tensorboard.SummaryWriter's add_scalar signature, keeping the calls."""

    def __init__(self) -> None:
        self.calls: List[Tuple[str, float, Optional[int]]] = []

    def add_scalar(self, tag: str, scalar_value: float, global_step: Optional[int] = None,
                   walltime: Optional[float] = None, new_style: bool = False, double_precision: bool = False) -> None:
        assert isinstance(tag, str) and isinstance(scalar_value, float)
        self.calls.append((tag, scalar_value, global_step))


class FakeWandb:
    """wandb.log's shape: log(data: dict, step=None)."""

    def __init__(self) -> None:
        self.calls: List[Tuple[Dict[str, float], Optional[int]]] = []

    def log(self, data: Dict[str, Any], step: Optional[int] = None) -> None:
        self.calls.append((data, step))


def update_of(step: int, loss: Optional[float] = 0.5, values: Optional[Dict[str, float]] = None) -> Update:
    diagnostics = Diagnostics(loss=loss, batch_size=8, update_norm=0.25, compute_seconds=0.001,
                              values={'gradNorm': 1.5, 'stepSize': 0.1} if values is None else values)
    return Update('s' * 32, step, np.zeros(D, np.float32), diagnostics, {})


def test_as_dict_is_flat_with_the_csv_column_names() -> None:
    u = update_of(3, values={'gradNorm': 1.5, 'stepSize': 0.1, 'meanSnr': 0.25})
    assert u.metrics == {'loss': 0.5, 'batch_size': 8.0, 'update_norm': 0.25, 'compute_seconds': 0.001,
                         'gradNorm': 1.5, 'stepSize': 0.1, 'meanSnr': 0.25}
    assert all(type(v) is float for v in u.metrics.values())
    assert 'loss' not in update_of(1, loss=None).metrics  # no loss sent: no loss logged (not 0, not NaN)
    assert list(u.diagnostics.as_dict('fisherd/'))[:2] == ['fisherd/loss', 'fisherd/batch_size']


def test_log_metrics_to_a_summary_writer_and_a_wandb_style_callable() -> None:
    writer, wandb = FakeSummaryWriter(), FakeWandb()
    returned = log_metrics(update_of(7), [writer, wandb.log], prefix='fisherd/')
    assert writer.calls == [(tag, value, 7) for tag, value in returned.items()]
    assert [t for t, _, _ in writer.calls] == ['fisherd/loss', 'fisherd/batch_size', 'fisherd/update_norm',
                                               'fisherd/compute_seconds', 'fisherd/gradNorm', 'fisherd/stepSize']
    assert wandb.calls == [(returned, 7)]
    # One sink alone, a bare Diagnostics with its step, and a step override.
    log_metrics(update_of(2).diagnostics, wandb.log, step=40)
    log_metrics(update_of(2), writer, step=41)
    assert wandb.calls[-1][1] == 40 and writer.calls[-1][2] == 41
    with pytest.raises(TypeError, match='needs step='):
        log_metrics(update_of(2).diagnostics, wandb.log)
    with pytest.raises(TypeError, match='add_scalar or a callable'):
        log_metrics(update_of(2), [object()])


def test_metrics_logger_every_n_steps() -> None:
    writer, wandb = FakeSummaryWriter(), FakeWandb()
    log = MetricsLogger(writer, wandb.log, every=2)
    for step in range(1, 6):
        log(update_of(step))
    assert [s for _, s in wandb.calls] == [2, 4]
    assert sorted({s for _, _, s in writer.calls}) == [2, 4]
    with pytest.raises(ValueError):
        MetricsLogger()
    with pytest.raises(ValueError):
        MetricsLogger(writer, every=0)
    with pytest.raises(TypeError):
        MetricsLogger(42)  # type: ignore[arg-type]


def test_a_real_summary_writer_where_tensorboard_is_installed(tmp_path: Path) -> None:
    pytest.importorskip('torch.utils.tensorboard', reason='tensorboard is not installed here')
    accumulator = pytest.importorskip('tensorboard.backend.event_processing.event_accumulator')
    writer = tensorboard_writer(str(tmp_path))
    for step in (1, 2, 3):
        log_metrics(update_of(step, loss=1.0 / step), writer, prefix='fisherd/')
    writer.close()
    events = accumulator.EventAccumulator(str(tmp_path))
    events.Reload()
    assert [(e.step, e.value) for e in events.Scalars('fisherd/loss')] == [(1, 1.0), (2, pytest.approx(0.5)), (3, pytest.approx(1 / 3))]
    assert 'fisherd/gradNorm' in events.Tags()['scalars']


def test_named_sessions_and_metrics_from_the_daemon(daemon: LocalDaemon) -> None:
    with Client.connect(daemon.url, client_name='pytest-metrics') as client:
        session = client.open_session(SessionConfig(dim=D, optimizer=Optimizer('ngd', step_size=0.1, damping=1e-3),
                                                    track=Track(empirical_fisher=True)))
        assert re.fullmatch(r'pytest-metrics \d{4}-\d\d-\d\d \d\d:\d\d:\d\d', session.config.name or '')
        rng = np.random.default_rng(3)
        writer, wandb = FakeSummaryWriter(), FakeWandb()
        log = MetricsLogger(writer, wandb.log)
        for step in (1, 2, 3):
            update = client.step(reduction='sum', loss=1.0 / step, per_example_grads=rng.standard_normal((4, D)).astype(np.float32),
                                 sampled_label_grads=rng.standard_normal((4, 1, D)).astype(np.float32))
            metrics = log(update)
            d = update.diagnostics
            assert metrics == {'loss': d.loss, 'batch_size': 4.0, 'update_norm': d.update_norm,
                               'compute_seconds': d.compute_seconds, **d.values}
            assert set(d.values) == {'gradNorm', 'stepSize', 'damping', 'cosineEfFisher'}
            assert math.isclose(metrics['update_norm'], float(np.linalg.norm(update.delta.astype(np.float64))), rel_tol=1e-6)
        assert [s for _, s in wandb.calls] == [1, 2, 3]
        assert len(writer.calls) == 3 * 8
        client.close_session(discard=True)

        named = client.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.1), name='py run · β=0.9'))
        assert named.config.name == 'py run · β=0.9'
        client.close_session(discard=True)
        with pytest.raises(FisherdError) as refused:
            client.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.1), name='x' * 129))
        assert refused.value.code == 'INVALID_CONFIG' and refused.value.field == 'name'
