"""WebSocket masking cost in this Python: websockets' ``apply_mask`` with and without its C speedups.

    python3 clients/python/bench/masking.py [--mb 25] [--repeat 5]

A client masks every frame it sends (RFC 6455 §5.3), so a 25 MB statistics or rows frame costs one
``apply_mask`` over 25 MB in the client. websockets uses ``websockets.speedups.apply_mask`` (C) when the
extension is installed (its wheels ship it; Debian's python3-websockets 10.4 does not) and the pure
Python ``websockets.utils.apply_mask`` otherwise. Prints the median time and throughput of both (the C
one only where it is importable) and which one this websockets uses.
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
    import websockets
    from websockets import utils

    data, mask = os.urandom(int(args.mb * 1e6)), os.urandom(4)
    print(f'websockets {websockets.__version__}, frame {args.mb:g} MB, median of {args.repeat}')
    rows = [('pure Python (websockets.utils)', utils.apply_mask)]
    try:
        from websockets import speedups  # type: ignore[attr-defined]
        rows.append(('C speedups (websockets.speedups)', speedups.apply_mask))
        used = 'C speedups'
    except ImportError:
        used = 'pure Python (no websockets.speedups)'
    for name, fn in rows:
        seconds = median_seconds(fn, data, mask, args.repeat)
        print(f'  {name:34s} {1e3 * seconds:8.1f} ms  {args.mb / seconds / 1e3:6.2f} GB/s')
    print(f'  this websockets masks with: {used}')


if __name__ == '__main__':
    main()
