"""WebSocket masking cost in this Python: websockets' ``apply_mask`` with and without its C speedups, and
the client's numpy one.

    python3 clients/python/bench/masking.py [--mb 25] [--repeat 5]

A client masks every frame it sends (RFC 6455 §5.3), so a 25 MB statistics or rows frame costs one
``apply_mask`` over 25 MB in the client. websockets uses ``websockets.speedups.apply_mask`` (C) when the
extension is installed (its wheels ship it; Debian's python3-websockets 10.4 does not) and the pure
Python ``websockets.utils.apply_mask`` otherwise; where the C one is missing, ``fisherd_client`` puts its
numpy ``transport.numpy_apply_mask`` in websockets' frame code when it connects. Prints the median time
and throughput of each (the C one only where it is importable) and which one a fisherd client masks with.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time


def median_seconds(fn, data: bytes, mask: bytes, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(data, mask)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mb', type=float, default=25.0)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    import sys
    from pathlib import Path

    import websockets
    from websockets import utils

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fisherd_client import transport

    data, mask = os.urandom(int(args.mb * 1e6)), os.urandom(4)
    print(f'websockets {websockets.__version__}, frame {args.mb:g} MB, median of {args.repeat}')
    rows = [('pure Python (websockets.utils)', utils.apply_mask),
            ('numpy (fisherd_client.transport)', transport.numpy_apply_mask)]
    try:
        from websockets import speedups  # type: ignore[attr-defined]
        rows.append(('C speedups (websockets.speedups)', speedups.apply_mask))
    except ImportError:
        pass
    for name, fn in rows:
        seconds = median_seconds(fn, data, mask, args.repeat)
        print(f'  {name:34s} {1e3 * seconds:8.1f} ms  {args.mb / seconds / 1e3:6.2f} GB/s')
    used = 'numpy (no websockets.speedups)' if transport.install_numpy_mask() else 'C speedups'
    print(f'  a fisherd client masks with: {used}')


if __name__ == '__main__':
    main()
