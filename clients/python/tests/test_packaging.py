"""``pip install ./clients/python[torch]`` against Debian's system torch (1.13.0a0+gitunknown) resolves
offline to the client alone: the torch extra's lower bound admits the pre-release."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLIENT_ROOT


def test_the_torch_extra_accepts_the_installed_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip('torch')
    pytest.importorskip('pip')
    venv = tmp_path / 'venv'
    made = subprocess.run([sys.executable, '-m', 'venv', '--system-site-packages', str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f'cannot make a venv here: {made.stderr.strip()[:200]}')
    result = subprocess.run(
        [str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '--no-build-isolation', '--no-index', '--dry-run',
         f'{CLIENT_ROOT}[torch]'], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f'torch>=1.13.0a0 in' in result.stdout and torch.__version__.split('+')[0] in result.stdout
    would = [line for line in result.stdout.splitlines() if line.startswith('Would install')]
    assert would == ['Would install fisherd-client-0.1.0'], result.stdout
