"""docs/networks.md's table and docs/networks/networks.svg are what examples/train_networks.py draws from the
committed runs (docs/networks/runs.json); a short run of the example against a real daemon works."""
from __future__ import annotations

import importlib.util
import json
import math
import sys

import pytest

from fisherd_client import LocalDaemon

from conftest import CLIENT_ROOT

pytest.importorskip('torch')

REPO = CLIENT_ROOT.parents[1]


def load_example():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location('train_networks', CLIENT_ROOT / 'examples' / 'train_networks.py')
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    sys.modules['train_networks'] = example  # its dataclasses look their module up
    spec.loader.exec_module(example)
    return example


def test_committed_figure_and_table_are_drawn_from_the_committed_runs() -> None:
    example = load_example()
    results = json.loads((REPO / 'docs' / 'networks' / 'runs.json').read_text())
    assert (REPO / 'docs' / 'networks' / 'networks.svg').read_text() == example.render_svg(results)
    doc = (REPO / 'docs' / 'networks.md').read_text()
    assert doc == example.update_doc(results), 'run: /usr/bin/python3 clients/python/examples/train_networks.py --render'
    # Every problem has every diagonal rule, each run lowered the loss, and the daemon's cosine equals the
    # one recomputed from the statistics the client sent.
    for name, problem in results['problems'].items():
        assert set(example.DIAGONAL_RULES) <= set(problem['runs']), name
        for rule, run in problem['runs'].items():
            assert run['loss'][-1] < run['loss'][0], (name, rule)
        ngd = problem['runs']['ngd']
        assert len(ngd['cosine']) == results['steps']
        assert max(abs(a - b) for a, b in zip(ngd['cosine'], ngd['cosine_client'])) < 1e-4


def test_a_short_run_writes_runs_and_the_daemon_cosine_matches_the_client(daemon: LocalDaemon, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    example = load_example()
    out = tmp_path / 'runs.json'
    example.OUT_SVG = tmp_path / 'networks.svg'
    example.OUT_DOC = tmp_path / 'networks.md'
    assert example.main(['--url', daemon.url, '--steps', '6', '--every', '3', '--rules', 'adam,ngd,efgd',
                         '--kfac', '--json', str(out)]) == 0
    results = json.loads(out.read_text())
    for name in ('digits', 'a1a'):
        ngd = results['problems'][name]['runs']['ngd']
        assert ngd['steps'] == [0, 3, 6] and len(ngd['cosine']) == 6
        assert all(-1 <= c <= 1 for c in ngd['cosine'])
        assert max(abs(a - b) for a, b in zip(ngd['cosine'], ngd['cosine_client'])) < 1e-4
        assert all(len(v) == 6 and all(math.isfinite(c) for c in v) for v in ngd['layer_cosine'].values())
    # K-FAC runs, or says why it could not.
    for rule in example.KFAC_RULES:
        assert rule in results['skipped'] or all(rule in p['runs'] for p in results['problems'].values())
    assert (tmp_path / 'networks.svg').read_text().startswith('<?xml')
