#!/usr/bin/python3
"""The Python client's encode + write of one step and read + decode of one update, without a daemon: the
copies the client itself makes for a step of the MLP of bench/torch_step.py (D = 1 068 810, three
diagonal blocks, Σg and Σg̃² in float32 from CPU torch tensors: 8.55 MB up, Δθ 4.28 MB down).

    /usr/bin/python3 bench/python_encode.py [--rounds 200] [--client clients/python]

Timed (medians, ms; each case run in turn, `--rounds` times):
  shm encode+write  StepInput checked and encoded (`encode_step`), the ClientMessage written into the
                    shared-memory request file as the client does when shared memory is active
  frame encode      the same into the bytes of a WebSocket frame (the client's path without shared memory)
  shm read+decode   a reply Update in the reply file → `Update` with Δθ as a numpy array the caller owns
  frame decode      the same Update from the bytes of a frame
`--client` points at another copy of clients/python (e.g. an older checkout, to compare): the script uses
whichever API that copy has (the direct write into the request file, or serialize-then-write).
Prints one JSON object on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]

SIZES = {'0': 784 * 1024 + 1024, '2': 1024 * 256 + 256, '4': 256 * 10 + 10}  # the MLP's Linear layers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--rounds', type=int, default=200)
    parser.add_argument('--client', default=str(ROOT / 'clients' / 'python'))
    parser.add_argument('--encoding', default='float32', choices=['float32', 'float16', 'bfloat16'])
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.client))
    import numpy as np
    import torch

    from fisherd_client import AsyncClient, Block, Optimizer, SessionConfig, StepInput, Structure
    from fisherd_client import fisherd_pb2 as pb
    from fisherd_client import step_input
    from fisherd_client.results import SessionInfo, update_from_wire
    from fisherd_client.shared_memory import REQUEST_OFFSET, SharedMemoryFiles
    from fisherd_client.statistics import DiagonalMoments

    try:
        from fisherd_client import wire  # the direct write (this change)
    except ImportError:
        wire = None  # type: ignore[assignment]

    torch.set_num_threads(1)
    blocks = tuple(Block(name, size, Structure('diagonal')) for name, size in SIZES.items())
    dim = sum(SIZES.values())
    session = SessionInfo('s', 0, SessionConfig(dim=dim, optimizer=Optimizer('ngd', 1.0, damping=1e-3), blocks=blocks), blocks)
    g = torch.Generator().manual_seed(0)
    stats = [DiagonalMoments(count=64, sum=torch.randn(size, generator=g),
                             sampled_label_squares=torch.rand(size, generator=g), samples_per_example=1, block=name)
             for name, size in SIZES.items()]
    contribution = StepInput(reduction='mean', batch_size=64, loss=2.3, statistics=stats, statistics_encoding=args.encoding)

    directory = tempfile.mkdtemp(prefix='fisherd-bench-', dir='/dev/shm' if os.path.isdir('/dev/shm') else None)
    files = SharedMemoryFiles(directory)
    files.unlink()
    os.rmdir(directory)

    def build(payloads: Any) -> Any:
        message = pb.ClientMessage()
        if payloads is None:
            step_input.encode_step(contribution, session, 1, 0, message.step)
        else:
            step_input.encode_step(contribution, session, 1, 0, message.step, payloads)
        message.request_id = 7
        return message

    def shm_write() -> None:
        if wire is None:
            files.write(build(None).SerializeToString())
        else:
            payloads = wire.Payloads(('step',))
            parts, length = wire.parts(build(payloads), payloads)
            files.write_parts(parts, length)

    def frame_encode() -> None:
        if wire is None:
            build(None).SerializeToString()
        else:
            payloads = wire.Payloads(('step',))
            wire.encode(build(payloads), payloads)

    # The reply: an Update as the daemon sends it, in the reply file at the daemon's offset.
    reply = pb.ServerMessage(request_id=7)
    reply.update.session_id = 's'
    reply.update.step = 1
    reply.update.delta = np.random.default_rng(0).standard_normal(dim).astype('<f4').tobytes()
    reply.update.diagnostics.update_norm = 1.0
    reply.update.diagnostics.batch_size = 64
    for key in ('gradNorm', 'stepSize', 'damping'):
        reply.update.diagnostics.values[key] = 0.5
    data = reply.SerializeToString()
    os.ftruncate(files._reply_fd, REQUEST_OFFSET + len(data))
    os.pwrite(files._reply_fd, data, REQUEST_OFFSET)
    ref = pb.ServerMessage(request_id=7)
    ref.message_ref.offset = REQUEST_OFFSET
    ref.message_ref.length = len(data)
    client = AsyncClient('ws://127.0.0.1:1')
    client._shm = files

    def shm_read() -> None:
        got = client._dereference(ref)
        if isinstance(got, tuple):  # (message, Δθ read straight from the file)
            update_from_wire(got[0].update, session, got[1])
        else:
            update_from_wire(got.update, session)

    def frame_decode() -> None:
        if wire is not None:  # what the client does with a large frame
            split = wire.split_update(memoryview(data))
            assert split is not None
            update_from_wire(split[0].update, session, split[1])
            return
        message = pb.ServerMessage()
        message.ParseFromString(data)
        update_from_wire(message.update, session)

    cases: Dict[str, Callable[[], None]] = {
        'shm encode+write': shm_write, 'frame encode': frame_encode, 'shm read+decode': shm_read, 'frame decode': frame_decode}
    times: Dict[str, List[float]] = {name: [] for name in cases}
    for _ in range(3):
        for fn in cases.values():
            fn()
    for _ in range(args.rounds):
        for name, fn in cases.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    files.close()
    result = {
        'client': 'direct write (wire)' if wire is not None else 'serialize, then write',
        'encoding': args.encoding, 'dim': dim, 'bytes_up': len(build(None).SerializeToString()), 'bytes_down': len(data),
        'rounds': args.rounds,
        'median_ms': {name: round(1e3 * statistics.median(t), 3) for name, t in times.items()},
    }
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
