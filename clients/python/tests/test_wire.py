"""The direct encoding (``wire.py``): a step's float vectors written from their arrays into the shared-memory
request file (or a frame), the tags and lengths around them computed by hand, must decode to exactly the
message ``SerializeToString()`` sends (``==`` on the parsed messages, and the same length: every field once);
an update read from the reply file with Δθ copied apart must equal the whole parse. No daemon here:
test_shared_memory.py runs these paths against the real one."""
from __future__ import annotations

import asyncio
import os
import tempfile
from typing import Any, Dict, Iterator, List, Tuple

import numpy as np
import pytest

from fisherd_client import AsyncClient, Block, Kronecker, Optimizer, SessionConfig, StepInput, Structure, wire
from fisherd_client import fisherd_pb2 as pb
from fisherd_client.async_client import _Pending
from fisherd_client.results import SessionInfo, update_from_wire
from fisherd_client.shared_memory import SharedMemoryFiles
from fisherd_client.statistics import (
    DiagonalMoments, KroneckerFactorSums, KroneckerStatistics, OutputGradFactorSum, kronecker_statistics_from_pairs,
)
from fisherd_client.step_input import encode_step

ENCODINGS = ('float32', 'float16', 'bfloat16')
# Two diagonal blocks and two Kronecker blocks (3×(4+1) with a bias, 2×3 without).
BLOCKS = (Block('a', 10, Structure('diagonal')), Block('fc', 15, Kronecker(3, 4, True)), Block('b', 7, Structure('diagonal')),
          Block('g', 6, Kronecker(2, 3, False)))
SESSION = SessionInfo('s', 0, SessionConfig(dim=38, optimizer=Optimizer('ngd', 1.0, damping=1e-3), blocks=BLOCKS), BLOCKS)
ROWS_BLOCKS = (Block('w', 6, Structure('full')), Block('v', 2, Structure('diagonal')))
ROWS_SESSION = SessionInfo('r', 0, SessionConfig(dim=8, optimizer=Optimizer('sgd', 0.1), blocks=ROWS_BLOCKS), ROWS_BLOCKS)


@pytest.fixture
def files() -> Iterator[SharedMemoryFiles]:
    base = '/dev/shm' if os.path.isdir('/dev/shm') else None
    with tempfile.TemporaryDirectory(prefix='fisherd-wire-py-', dir=base) as d:
        f = SharedMemoryFiles(d)
        f.unlink()
        yield f
        f.close()


def torch_or_numpy(values: np.ndarray) -> Any:
    """A CPU float32 tensor where torch is installed (what the Preconditioner sends), else float32 numpy."""
    try:
        import torch
    except ImportError:
        return values.astype(np.float32)
    return torch.from_numpy(values.astype(np.float32))


def diagonal_statistics(rng: np.random.Generator) -> List[DiagonalMoments]:
    """Every kind of vector, from float64 numpy, float32 numpy, a strided view, and a tensor."""
    return [
        DiagonalMoments(count=4, sum=rng.standard_normal(10), sum_squares=torch_or_numpy(rng.random(10)),
                        centred_squares=rng.random(20)[::2], sampled_label_squares=rng.random(10).astype(np.float32),
                        samples_per_example=3, factor_squares=rng.random((2, 5)), block='a'),
        DiagonalMoments(count=4, sum=torch_or_numpy(rng.standard_normal(7)), sampled_label_squares=rng.random(7),
                        samples_per_example=3, block='b'),
    ]


def kronecker_statistics(rng: np.random.Generator, factors: bool) -> List[KroneckerStatistics]:
    fc = kronecker_statistics_from_pairs(count=4, activations=rng.normal(size=(4, 4)), output_grads=rng.normal(size=(4, 3)),
                                         bias=True, sampled=rng.normal(size=(4, 2, 3)), exact=rng.normal(size=(4, 3, 3)),
                                         factors=factors, block='fc')
    if factors:
        assert fc.factors is not None
        fc.factors.eigenbasis_squares, fc.factors.eigenbasis_count, fc.factors.basis_version = rng.random(15), 4.0, 2
    g = KroneckerStatistics(count=4, sum=torch_or_numpy(rng.standard_normal(6)), block='g')
    if factors:
        a = rng.normal(size=(4, 3))
        g.factors = KroneckerFactorSums(input_sum=a.T @ a, input_count=4,  # a matrix, packed here
                                        empirical=OutputGradFactorSum(torch_or_numpy(np.array([2.0, 0.5, 1.0])), 4))  # packed
    return [fc, g]


def reference(contribution: StepInput, session: SessionInfo, request_id: int = 11) -> pb.ClientMessage:
    """The message as the client serialized it before (every field set on the protobuf message)."""
    message = pb.ClientMessage()
    encode_step(contribution, session, 5, 1, message.step)
    message.request_id = request_id
    return message


def deferred(contribution: StepInput, session: SessionInfo, request_id: int = 11) -> Tuple[pb.ClientMessage, wire.Payloads]:
    payloads = wire.Payloads(('step',))
    message = pb.ClientMessage()
    encode_step(contribution, session, 5, 1, message.step, payloads)
    message.request_id = request_id
    return message, payloads


def check_all_ways(contribution: StepInput, session: SessionInfo, files: SharedMemoryFiles) -> Dict[str, bytes]:
    """Writes the step the direct way into the request file and a frame, fills it, and compares each with
    the serialized reference."""
    want = reference(contribution, session)
    serialized = want.SerializeToString()
    message, payloads = deferred(contribution, session)
    assert payloads.entries, 'nothing was kept aside: the test would not test the direct path'
    assert message.ByteSize() < 1024  # the vectors are not in the message
    offset, length = files.write_parts(*wire.parts(message, payloads))
    written = os.pread(files._request_fd, length, offset)  # what the daemon reads
    frame = bytes(wire.encode(message, payloads))
    for data in (written, frame):
        assert pb.ClientMessage.FromString(data) == want
        assert len(data) == len(serialized)  # every field once, with the same headers
    wire.fill(message, payloads)
    assert message == want
    return {'written': written, 'serialized': serialized}


@pytest.mark.parametrize('encoding', ENCODINGS)
def test_diagonal_statistics_of_every_kind_written_directly_decode_to_the_serialized_message(encoding: str, files: SharedMemoryFiles) -> None:
    rng = np.random.default_rng(1)
    session = SessionInfo('d', 0, SessionConfig(dim=17, optimizer=Optimizer('ngd', 1.0, damping=1e-3), blocks=BLOCKS[0::2]), BLOCKS[0::2])
    contribution = StepInput(reduction='mean', batch_size=4, loss=0.25, loss_after_previous_update=0.5, statistics=diagonal_statistics(rng),
                             statistics_encoding=encoding, params=rng.standard_normal(17))
    out = check_all_ways(contribution, session, files)
    assert out['written'] != out['serialized']  # another field order: the parsed messages are what must agree


@pytest.mark.parametrize('encoding', ENCODINGS)
@pytest.mark.parametrize('factors', [True, False])
def test_kronecker_statistics_beside_diagonal_blocks_decode_to_the_serialized_message(encoding: str, factors: bool, files: SharedMemoryFiles) -> None:
    rng = np.random.default_rng(2)
    diag = diagonal_statistics(rng)
    kron = kronecker_statistics(rng, factors)
    contribution = StepInput(reduction='sum', batch_size=4, statistics=[diag[0], kron[0], diag[1], kron[1]], statistics_encoding=encoding)
    check_all_ways(contribution, SESSION, files)
    if factors:
        parsed = pb.ClientMessage.FromString(check_all_ways(contribution, SESSION, files)['written'])
        f = parsed.step.statistics[1].kronecker.factors
        assert f.input_sum and f.empirical.sum and f.sampled.sum and f.exact.sum and f.eigenbasis_squares and f.basis_version == 2


def test_one_entry_for_the_whole_vector(files: SharedMemoryFiles) -> None:
    session = SessionInfo('o', 0, SessionConfig(dim=9, optimizer=Optimizer('efgd', 1.0, damping=1e-3)), (Block('params', 9),))
    rng = np.random.default_rng(3)
    check_all_ways(StepInput(reduction='sum', batch_size=2, statistics=[DiagonalMoments(count=2, sum=rng.standard_normal(9),
                                                                                        sum_squares=rng.random(9))]), session, files)


def test_rows_written_directly_decode_to_the_serialized_message(files: SharedMemoryFiles) -> None:
    rng = np.random.default_rng(4)
    g = rng.standard_normal((3, 8))
    check_all_ways(StepInput(reduction='sum', per_example_grads=g, loss=1.5, params=rng.standard_normal(8)), ROWS_SESSION, files)
    check_all_ways(StepInput(reduction='mean', per_example_grads={'w': g[:, :6].reshape(3, 2, 3).astype(np.float32), 'v': g[:, 6:]},
                             sampled_label_grads=rng.standard_normal((3, 2, 8)), fisher_factor_rows=rng.standard_normal((6, 8)),
                             factors_per_example=2), ROWS_SESSION, files)
    check_all_ways(StepInput(reduction='sum', mean_grad=np.arange(8.0), batch_size=7), ROWS_SESSION, files)


def test_the_request_file_grows_for_a_larger_step_and_keeps_what_it_wrote(files: SharedMemoryFiles) -> None:
    rng = np.random.default_rng(5)
    for dim in (5, 50_000, 20):
        session = SessionInfo('g', 0, SessionConfig(dim=dim, optimizer=Optimizer('efgd', 1.0, damping=1e-3)), (Block('params', dim),))
        contribution = StepInput(reduction='sum', batch_size=2, statistics=[DiagonalMoments(count=2, sum=rng.standard_normal(dim),
                                                                                            sum_squares=rng.random(dim))])
        message, payloads = deferred(contribution, session)
        offset, length = files.write_parts(*wire.parts(message, payloads))
        assert pb.ClientMessage.FromString(files.request_bytes(offset, length)) == reference(contribution, session)
    with pytest.raises(ValueError):
        files.write_parts([b'abc'], 4)  # the parts must hold exactly the length


def update_message(dim: int, seed: int = 0) -> pb.ServerMessage:
    message = pb.ServerMessage(request_id=9)
    message.update.session_id = 'sess'
    message.update.step = 3
    message.update.delta = np.random.default_rng(seed).standard_normal(dim).astype('<f4').tobytes()
    message.update.diagnostics.update_norm = 1.25
    message.update.diagnostics.loss = 0.5
    message.update.diagnostics.values['gradNorm'] = 2.0
    return message


def test_an_update_read_apart_equals_the_whole_parse() -> None:
    message = update_message(1000)
    data = message.SerializeToString()
    split = wire.split_update(memoryview(data))
    assert split is not None
    rest, delta = split
    assert delta.dtype == np.float32 and delta.flags.writeable and delta.flags.owndata
    assert delta.tobytes() == message.update.delta
    assert rest.update.delta == b'' and rest.WhichOneof('kind') == 'update'
    rest.update.delta = delta.tobytes()
    assert rest == message
    session = SessionInfo('sess', 0, SessionConfig(dim=1000, optimizer=Optimizer('sgd', 0.1)), (Block('params', 1000),))
    a, b = update_from_wire(split[0].update, session, delta), update_from_wire(message.update, session)
    assert a.delta.tobytes() == b.delta.tobytes() and a.diagnostics == b.diagnostics and (a.step, a.session_id) == (b.step, b.session_id)
    with pytest.raises(Exception) as e:
        update_from_wire(split[0].update, session, delta[:-1])
    assert getattr(e.value, 'code', None) == 'SHAPE_MISMATCH'


def field(number: int, payload: bytes) -> bytes:
    return wire._header(number, len(payload)) + payload


def test_an_update_in_another_field_order_is_read_apart_too_and_other_encodings_are_left_to_protobuf() -> None:
    message = update_message(10, seed=1)
    u = message.update
    # The Update's fields in reverse order, request_id after it.
    inner = (field(4, u.diagnostics.SerializeToString()) + field(3, u.delta) + bytes([2 << 3, u.step]) + field(1, u.session_id.encode()))
    data = field(4, inner) + bytes([1 << 3, 9])
    assert pb.ServerMessage.FromString(data) == message
    split = wire.split_update(memoryview(data))
    assert split is not None
    split[0].update.delta = split[1].tobytes()
    assert split[0] == message
    # Not an update, Δθ twice (protobuf keeps the last), the update in two pieces (protobuf merges them),
    # an odd length: parsed whole by protobuf.
    estimates = pb.ServerMessage(request_id=2)
    estimates.estimates.step = 4
    for other in (estimates.SerializeToString(),
                  field(4, field(3, b'\0' * 8) + field(3, b'\1' * 4)),
                  field(4, field(1, b's')) + field(4, field(3, b'\0' * 4)),
                  field(4, field(3, b'\0' * 6))):
        assert wire.split_update(memoryview(other)) is None
        pb.ServerMessage.FromString(other)  # which protobuf reads
    with pytest.raises(ValueError):
        wire.split_update(memoryview(field(4, inner)[:-3]))  # truncated


def test_a_request_written_and_unanswered_is_kept_as_a_frame_when_the_files_go(files: SharedMemoryFiles) -> None:
    """The connection drops while a step written into the request file waits for its answer: its bytes are
    copied out before the files close, and sent again as a frame after the reconnect."""
    rng = np.random.default_rng(6)
    contribution = StepInput(reduction='sum', batch_size=4, statistics=diagonal_statistics(rng)[1:])
    session = SessionInfo('d', 0, SessionConfig(dim=7, optimizer=Optimizer('ngd', 1.0, damping=1e-3), blocks=BLOCKS[2:3]), BLOCKS[2:3])
    sent: List[bytes] = []

    class Socket:
        closed = False

        async def send(self, frame: Any) -> None:
            sent.append(bytes(frame))

    async def run() -> None:
        client = AsyncClient('ws://127.0.0.1:1')
        client._ws = Socket()
        client._shm = files
        message, payloads = deferred(contribution, session, request_id=3)
        assert client._may_write_now()
        future = asyncio.get_running_loop().create_future()
        pending = _Pending('step', None, 5, future)
        pending.source = (message, payloads)
        client._pending[3] = pending
        await client._transmit(pending, 3)
        [ref] = [pb.ClientMessage.FromString(f) for f in sent]
        assert (ref.request_id, ref.WhichOneof('kind')) == (3, 'message_ref')
        assert pending.frame is None and pending.span == (ref.message_ref.offset, ref.message_ref.length)
        assert client._ref_outstanding == 3 and not client._may_write_now()  # one ref'd request at a time
        client._drop_shared_memory()
        assert pending.frame is not None and pending.span is None and pending.source is None
        assert pb.ClientMessage.FromString(pending.encoded()) == reference(contribution, session, request_id=3)
        future.cancel()

    asyncio.run(run())


def test_repeated_elements_without_payloads_are_written_whole_in_their_place() -> None:
    """Only the second of three statistics entries keeps a vector aside: the others are encoded by protobuf,
    in their order."""
    message = pb.ClientMessage(request_id=4)
    for name in ('x', 'y', 'z'):
        entry = message.step.statistics.add()
        entry.block = name
        entry.diagonal.count = 2
    message.step.statistics[0].diagonal.sum = b'\1\2\3\4'
    message.step.statistics[2].diagonal.sum_squares = b'\5\6\7\10'
    want = pb.ClientMessage()
    want.CopyFrom(message)
    payloads = wire.Payloads(('step',))
    payloads.add((('statistics', 1), 'diagonal'), 'sum', np.array([1.5, -2.0], dtype='<f4'))
    want.step.statistics[1].diagonal.sum = np.array([1.5, -2.0], dtype='<f4').tobytes()
    data = bytes(wire.encode(message, payloads))
    assert pb.ClientMessage.FromString(data) == want and len(data) == want.ByteSize()
    assert [s.block for s in pb.ClientMessage.FromString(data).step.statistics] == ['x', 'y', 'z']


def test_an_update_whose_other_fields_do_not_decode_is_a_value_error() -> None:
    bad = field(4, field(3, b'\0' * 4) + field(4, b'\xff\xff'))  # diagnostics holding a truncated varint
    with pytest.raises(ValueError):
        wire.split_update(memoryview(bad))


def test_a_large_update_frame_is_answered_with_its_delta_read_apart_and_a_bad_one_is_dropped() -> None:
    async def run() -> None:
        client = AsyncClient('ws://127.0.0.1:1')
        future = asyncio.get_running_loop().create_future()
        client._pending[9] = _Pending('step', b'', 3, future)
        client._receive(field(4, field(3, b'\0' * 70_000) + field(4, b'\xff\xff')))  # not protobuf: dropped
        assert not future.done()
        message = update_message(20_000)
        client._receive(message.SerializeToString())
        reply = future.result()
        assert reply.delta is not None and reply.delta.tobytes() == message.update.delta and reply.message.update.delta == b''
        assert client.last_step == 3

    asyncio.run(run())
