"""examples/train_mlp.py runs as documented against a daemon and every optimizer lowers the loss."""
from __future__ import annotations

import importlib.util
import re

import pytest

from fisherd_client import LocalDaemon

from conftest import CLIENT_ROOT

pytest.importorskip('torch')


def test_train_mlp_runs_every_optimizer(daemon: LocalDaemon, capsys: pytest.CaptureFixture) -> None:
    spec = importlib.util.spec_from_file_location('train_mlp', CLIENT_ROOT / 'examples' / 'train_mlp.py')
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(['--url', daemon.url, '--steps', '20', '--every', '10']) == 0
    out = capsys.readouterr().out
    for name in ('sgd', 'efgd', 'ngd', 'snr'):
        losses = [float(v) for v in re.findall(r'\d+: (\d+\.\d+)', next(line for line in out.splitlines() if line.startswith(name)))]
        assert len(losses) == 3 and losses[-1] < 0.5 * losses[0], f'{name}: {losses}'
