"""The README's Python snippets run as written (against the test daemon instead of port 7070)."""
from __future__ import annotations

import contextlib
import io
import re

import pytest

from fisherd_client import LocalDaemon

from conftest import CLIENT_ROOT

SNIPPETS = re.findall(r'```python\n(.*?)```', (CLIENT_ROOT / 'README.md').read_text(), flags=re.S)


@pytest.mark.parametrize('snippet', SNIPPETS, ids=[f'snippet{i}' for i in range(len(SNIPPETS))])
def test_readme_snippet_runs(snippet: str, daemon: LocalDaemon) -> None:
    if 'torch' in snippet:
        pytest.importorskip('torch')
    assert 'ws://127.0.0.1:7070' in snippet
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(snippet.replace('ws://127.0.0.1:7070', daemon.url), 'README.md', 'exec'), {})
    if 'logaddexp' in snippet:  # the logistic loop reports its final loss: well below log 2
        loss = float(re.search(r'loss (\d+\.\d+)', output.getvalue()).group(1))  # type: ignore[union-attr]
        assert loss < 0.3
