"""The same sessions run by the Python and the TypeScript client give the same bits.

Both clients get the same float64 inputs and round them to float32 themselves (numpy's '<f4' cast and
``Float32Array.from``, both IEEE round-to-nearest-even); the daemon (reference backend, deterministic)
then sees identical frames' payloads, so the float32 updates, the float64 estimate diagonals and the
diagnostics must be equal bit for bit, not just close.
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest

from fisherd_client import Block, Client, LocalDaemon, Optimizer, SessionConfig, Track

SCRIPT = Path(__file__).with_name('ts_client_run.mjs')
DIM = 9
BLOCKS = [('weight', 6, 'full'), ('bias', 3, 'diagonal')]

# (optimizer spec shared by both clients, what each step sends, estimates tracked besides the optimizer's)
CASES = [
    ({'name': 'sgd', 'stepSize': 0.2}, 'mean_grad', {}),
    ({'name': 'efgd', 'stepSize': 0.2, 'damping': 1e-2}, 'per_example', {'noise': True}),
    ({'name': 'ngd', 'stepSize': 0.2, 'damping': 1e-2}, 'sampled', {'empiricalFisher': True}),
    ({'name': 'snr', 'stepSize': 0.2}, 'per_example', {'empiricalFisher': True}),
    ({'name': 'va', 'stepSize': 0.2, 'damping': 1e-3}, 'per_example', {}),
]


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.asarray(array, dtype='<f8').tobytes()).decode()


def steps_for(kind: str, seed: int) -> List[Dict[str, Any]]:
    rng = np.random.default_rng(seed)
    steps = []
    for t in range(3):
        b = 3 + t
        g = rng.standard_normal((b, DIM)) / 3  # float64: each client rounds it to float32
        step: Dict[str, Any] = {'reduction': 'sum', 'batchSize': b, 'loss': float(t) / 7}
        if kind == 'mean_grad':
            step.update(reduction='mean', meanGrad=g.mean(axis=0))
        else:
            step['perExampleGrads'] = g
        if kind == 'sampled':
            step['reduction'] = 'mean'  # rows as g_n/b: the daemon multiplies back
            step['perExampleGrads'] = g / b
        if kind == 'sampled':
            step['sampledLabelGrads'] = {'samplesPerExample': 2, 'rows': rng.standard_normal((b, 2, DIM)) / (3 * b)}
        steps.append(step)
    return steps


def run_python(url: str, optimizer: Dict[str, Any], track: Dict[str, bool], steps: List[Dict[str, Any]]) -> Dict[str, Any]:
    config = SessionConfig(
        dim=DIM, blocks=[Block(*b) for b in BLOCKS], ema_decay=0.5,
        track=Track(empirical_fisher=track.get('empiricalFisher', False), noise=track.get('noise', False)),
        optimizer=Optimizer(optimizer['name'], step_size=optimizer['stepSize'], damping=optimizer.get('damping')))
    with Client.connect(url) as client:
        client.open_session(config)
        deltas, diagnostics = [], []
        for s in steps:
            sampled = s.get('sampledLabelGrads')
            update = client.step(
                reduction=s['reduction'], batch_size=s['batchSize'], loss=s['loss'],
                per_example_grads=s.get('perExampleGrads'), mean_grad=s.get('meanGrad'),
                sampled_label_grads=None if sampled is None else sampled['rows'])
            deltas.append(update.delta.tobytes())
            diagnostics.append(update.diagnostics)
        estimates = client.estimates(top_k=3, include_diagonals=True)
    return {'deltas': deltas, 'diagnostics': diagnostics, 'estimates': estimates}


def test_python_and_typescript_clients_produce_identical_updates(daemon: LocalDaemon, daemon_main: Path) -> None:
    if shutil.which('node') is None:
        pytest.fail('node is required (it runs the daemon too)')
    ts_client = daemon_main.parents[2] / 'clients' / 'ts' / 'src' / 'index.js'  # <build>/src/cli/main.js
    assert ts_client.exists(), f'{ts_client} was not built'
    cases = [(optimizer, track, steps_for(kind, seed)) for seed, (optimizer, kind, track) in enumerate(CASES)]

    def encoded(steps: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        out = []
        for s in steps:
            e = dict(s)
            for key in ('perExampleGrads', 'meanGrad'):
                if key in e:
                    e[key] = b64(e[key])
            if 'sampledLabelGrads' in e:
                e['sampledLabelGrads'] = {'samplesPerExample': 2, 'rows': b64(e['sampledLabelGrads']['rows'])}
            out.append(e)
        return out

    job = {'url': daemon.url, 'sessions': [{
        'config': {'dim': DIM, 'blocks': [{'name': n, 'size': k, 'structure': {'kind': s}} for n, k, s in BLOCKS],
                   'emaDecay': 0.5, 'track': track, 'optimizer': optimizer},
        'steps': encoded(steps)} for optimizer, track, steps in cases]}
    ran = subprocess.run(['node', str(SCRIPT), str(ts_client)], input=json.dumps(job), capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    ts_sessions = json.loads(ran.stdout)['sessions']

    for (optimizer, track, steps), ts in zip(cases, ts_sessions):
        py = run_python(daemon.url, optimizer, track, steps)
        name = optimizer['name']
        assert [base64.b64decode(d) for d in ts['deltas']] == py['deltas'], f'{name}: deltas differ'
        assert any(np.frombuffer(d, '<f4').any() for d in py['deltas']), f'{name}: all updates are zero'
        for ts_diag, py_diag in zip(ts['diagnostics'], py['diagnostics']):
            assert ts_diag['values'] == py_diag.values and ts_diag['loss'] == py_diag.loss, name
            assert ts_diag['updateNorm'] == py_diag.update_norm and ts_diag['batchSize'] == py_diag.batch_size, name
        names = {'empiricalFisher': 'empirical_fisher', 'fisher': 'fisher', 'noise': 'noise'}
        estimates = py['estimates'].estimates
        assert {names[k] for k in ts['estimates']['diagonals']} == set(estimates), name
        for kind, diagonal in ts['estimates']['diagonals'].items():
            assert base64.b64decode(diagonal) == estimates[names[kind]].diagonal.tobytes(), f'{name}: {kind} differs'
            assert ts['estimates']['topEigenvalues'][kind] == estimates[names[kind]].top_eigenvalues, name
        assert base64.b64decode(ts['estimates']['meanGrad']) == py['estimates'].mean_grad.tobytes(), name
        assert ts['estimates']['cosineEfFisher'] == py['estimates'].cosine_ef_fisher, name
    assert ts_sessions[2]['estimates']['cosineEfFisher'] is not None  # ngd tracking Ẽ: both Fishers
