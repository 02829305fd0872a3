"""Fixtures: the real daemon, built from this checkout and run as a separate process.

The build (``tsc -p tsconfig.build.json`` into test-artifacts/python-client-dist) runs once per source
change: a stamp newer than every file under src/ and clients/ts/src/ lets later runs skip it (the same
rule as test/e2e/daemon-harness.ts, in a folder of its own). ``FISHERD_MAIN=/path/to/main.js`` skips the
build and uses that daemon instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

CLIENT_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = CLIENT_ROOT.parents[1]
sys.path.insert(0, str(CLIENT_ROOT))

from fisherd_client import LocalDaemon  # noqa: E402

BUILD = REPO_ROOT / 'test-artifacts' / 'python-client-dist'
STAMP = BUILD / '.stamp'
LOCK = BUILD.with_name(BUILD.name + '.lock')


def _newest_source_mtime() -> float:
    newest = 0.0
    for folder in (REPO_ROOT / 'src', REPO_ROOT / 'clients' / 'ts' / 'src'):
        for path in folder.rglob('*'):
            if path.suffix in ('.ts', '.js', '.json') and path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def _fresh(main: Path) -> bool:
    return STAMP.exists() and main.exists() and STAMP.stat().st_mtime > _newest_source_mtime()


def build_daemon() -> Path:
    """The daemon's main.js, compiled from this checkout when the sources changed since the last build."""
    if os.environ.get('FISHERD_MAIN'):
        return Path(os.environ['FISHERD_MAIN'])
    main = BUILD / 'src' / 'cli' / 'main.js'
    while True:
        if _fresh(main):
            return main
        try:
            LOCK.mkdir(parents=True)
        except FileExistsError:
            time.sleep(0.2)  # another test process is building
            continue
        try:
            if _fresh(main):
                return main
            started = time.time()
            tsc = REPO_ROOT / 'node_modules' / '.bin' / 'tsc'
            if not tsc.exists():
                pytest.fail(f'{tsc} is missing: run `npm ci` at the repository root first')
            result = subprocess.run([str(tsc), '-p', 'tsconfig.build.json', '--outDir', str(BUILD)],
                                    cwd=REPO_ROOT, capture_output=True, text=True)
            # Type errors elsewhere in the tree do not stop tsc from emitting; a missing entry point does.
            if not main.exists():
                pytest.fail(f'building the daemon failed:\n{result.stdout}\n{result.stderr}')
            generated = BUILD / 'src' / 'protocol' / 'generated'
            generated.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO_ROOT / 'src' / 'protocol' / 'generated' / 'fisherd.js', generated / 'fisherd.js')
            STAMP.write_text(str(started))
            # Dated at the build's start: a source saved during the build makes the next run build again.
            os.utime(STAMP, (started, started))
            return main
        finally:
            shutil.rmtree(LOCK, ignore_errors=True)


@pytest.fixture(scope='session')
def daemon_main() -> Path:
    return build_daemon()


@pytest.fixture(scope='session')
def daemon(daemon_main: Path) -> Iterator[LocalDaemon]:
    """One daemon for the whole test run (reference backend: deterministic float64 loops). Every test
    connects from 127.0.0.1 and many keep their sessions resumable, so the per-address and per-session
    quotas are raised for it (their defaults are tested in test/e2e/daemon-hostile-connections.test.ts)."""
    with LocalDaemon(['--backend', 'reference', '--max-sessions', '100000', '--max-sessions-per-address', '100000'],
                     main=daemon_main) as running:
        yield running
        assert running.process is not None and running.process.poll() is None, f'the daemon died:\n{running.log}'


@pytest.fixture
def start_daemon(daemon_main: Path) -> Iterator:
    """A factory of further daemons (own flags, data dirs, ports), all stopped after the test."""
    started = []

    def start(args=(), **options) -> LocalDaemon:  # type: ignore[no-untyped-def]
        running = LocalDaemon(['--backend', 'reference', *args], main=daemon_main, **options).start()
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
