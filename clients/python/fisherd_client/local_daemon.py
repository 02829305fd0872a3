"""Starts a fisherd daemon as a child process (for examples, tests and notebooks).

    with LocalDaemon() as daemon:
        client = Client.connect(daemon.url)

It runs ``node <main.js> serve --port 0 --data-dir <dir> ...`` and waits for the line the daemon prints
once it listens (``fisherd listening on ws://HOST:PORT ...``, src/cli/serve.ts), which carries the port
it picked. ``main.js`` is, in this order: the ``main`` argument, ``$FISHERD_MAIN``, or the repository's
``dist/src/cli/main.js`` (``npm run build``) found above this package.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import List, Optional, Sequence

_LISTENING = re.compile(r'listening on (ws://\S+):(\d+)')

#: The repository root when this package runs from a checkout (clients/python/fisherd_client/..).
REPO_ROOT = Path(__file__).resolve().parents[3]


def default_main() -> Path:
    """The daemon's entry point: ``$FISHERD_MAIN`` or the checkout's ``dist/src/cli/main.js``."""
    from_env = os.environ.get('FISHERD_MAIN')
    return Path(from_env) if from_env else REPO_ROOT / 'dist' / 'src' / 'cli' / 'main.js'


class LocalDaemon:
    """A ``fisherd serve`` child process.

    Args:
        args: further ``serve`` flags (e.g. ``['--token', t]``, ``['--checkpoint-every', '1']``).
        data_dir: the checkpoint directory (default: a fresh temporary one, removed on ``stop``).
        port: the port (default 0: any free port; the chosen one is ``port`` after ``start``).
        main: the daemon's ``main.js`` (default ``default_main()``).
        node: the Node.js executable (default ``node`` on PATH).
        start_timeout: seconds to wait for the daemon to listen (default 30).
    """

    def __init__(
        self,
        args: Sequence[str] = (),
        *,
        data_dir: Optional[str] = None,
        port: int = 0,
        main: Optional[os.PathLike] = None,
        node: str = 'node',
        start_timeout: float = 30.0,
    ) -> None:
        self.args = list(args)
        self._own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix='fisherd-py-')
        self.port = port
        self.main = Path(main) if main is not None else default_main()
        self.node = node
        self.start_timeout = start_timeout
        self.process: Optional[subprocess.Popen] = None
        self.url = ''
        self._stderr: List[str] = []

    def __enter__(self) -> 'LocalDaemon':
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def log(self) -> str:
        """What the daemon wrote to stderr so far (its pino log)."""
        return ''.join(self._stderr)

    def start(self) -> 'LocalDaemon':
        """Starts the daemon and waits until it listens."""
        if not self.main.exists():
            raise FileNotFoundError(f'{self.main} does not exist: build the daemon first (npm run build) or set FISHERD_MAIN')
        command = [self.node, str(self.main), 'serve', '--port', str(self.port), '--data-dir', self.data_dir, *self.args]
        self.process = subprocess.Popen(
            command, cwd=str(REPO_ROOT if (REPO_ROOT / 'package.json').exists() else self.main.parent),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        threading.Thread(target=self._drain, args=(self.process.stderr, self._stderr), daemon=True).start()
        found: List[str] = []
        listening = threading.Event()

        def watch_stdout() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                match = _LISTENING.search(line)
                if match and not listening.is_set():
                    found.extend(match.groups())
                    listening.set()
            listening.set()  # the daemon exited

        threading.Thread(target=watch_stdout, daemon=True).start()
        if not listening.wait(self.start_timeout) or not found:
            self.stop()
            raise RuntimeError(f'fisherd did not start within {self.start_timeout} s:\n{self.log}')
        self.port = int(found[1])
        # Connect over IPv4 loopback when the daemon printed a wildcard or a name.
        host = found[0][len('ws://'):]
        self.url = f'ws://{"127.0.0.1" if host in ("0.0.0.0", "localhost") else host}:{self.port}'
        return self

    @staticmethod
    def _drain(stream, into: List[str]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            into.append(line)

    def kill(self, sig: int = signal.SIGKILL) -> int:
        """Sends ``sig`` (default SIGKILL) and waits for the exit; returns the exit status."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM (the daemon drains, checkpoints and exits 0), then removes a temporary data dir."""
        status = 0
        if self.process is not None:
            try:
                status = self.kill(signal.SIGTERM)
            except subprocess.TimeoutExpired:
                status = self.kill(signal.SIGKILL)
        if self._own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        return status
