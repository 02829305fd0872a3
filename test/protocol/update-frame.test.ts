/**
 * The Update frame built around Δθ (src/protocol/update-frame.ts) against the general encoding
 * (`encodeServerMessage`) of the same message: the same decoded message, with protobufjs (the daemon and the
 * TypeScript client) and with Python's protobuf (its C++ parser and its pure-Python one) and the Python
 * client's `wire.split_update`; the frame a view of the update array's memory (no copy). The claim on that
 * memory (src/session/update-memory.ts): one frame at a time, and a session does not write a later step into
 * an array whose frame is still held — with the passes as native kernels and as JavaScript loops.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableKernels, kernelsInUse, useKernels } from '../../src/linalg/native-kernels.js';
import { decodeServerMessage, encodeServerMessage, type ServerMessageInit } from '../../src/protocol/frames.js';
import { updateToWire, type UpdateDiagnostics } from '../../src/protocol/step-codec.js';
import { encodeUpdateInPlace } from '../../src/protocol/update-frame.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { FRAME_ROOM_FROM, allocateUpdateArray, frameRoomBytes } from '../../src/session/update-memory.js';
import { BACKENDS, Rng } from '../session/helpers.js';

const ROOT = resolve(__dirname, '../..');

function updateArray(n: number, seed: number): Float32Array {
  const u = allocateUpdateArray(n);
  const rng = new Rng(seed);
  u.set(rng.normals(n));
  return u;
}

function updateMessage(delta: Float32Array, options: { requestId?: number; sessionId?: string; step?: number; diagnostics?: Partial<UpdateDiagnostics> } = {}): ServerMessageInit {
  return {
    requestId: options.requestId ?? 7,
    update: updateToWire({
      sessionId: options.sessionId ?? 'run-1', step: options.step ?? 3, delta,
      diagnostics: { batchSize: 32, updateNorm: 1.25, computeSeconds: 0.004, values: { gradNorm: 2.5, stepSize: 0.1 }, ...options.diagnostics },
    }),
  };
}

/** The messages the tests encode both ways: defaults, field values at varint boundaries, a long id, many diagnostics. */
function cases(): { name: string; message: ServerMessageInit }[] {
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`layer.block${i}.fisher.top1`, i / 7]));
  return [
    { name: 'D = FRAME_ROOM_FROM, defaults', message: updateMessage(updateArray(FRAME_ROOM_FROM, 1)) },
    { name: 'request id 0, step 0, no diagnostics values', message: updateMessage(updateArray(FRAME_ROOM_FROM + 1, 2), { requestId: 0, step: 0, diagnostics: { values: {}, updateNorm: 0, batchSize: 0, computeSeconds: 0 } }) },
    { name: 'largest request id and step, a loss, a unicode session id', message: updateMessage(updateArray(40_000, 3), { requestId: 2 ** 32 - 1, step: 2 ** 31, sessionId: 'séance-Δθ-✓', diagnostics: { loss: -0.5 } }) },
    // 4·D ≥ 2²¹: Δθ's and the update's lengths take 4-byte varints
    { name: 'D = 600 000, a Kronecker session\'s 40 layer values', message: updateMessage(updateArray(600_000, 4), { sessionId: 'x'.repeat(300), diagnostics: { values: many } }) },
  ];
}

describe('an Update built around its Δθ', () => {
  it('decodes (protobufjs) to the message the general encoding gives, from a view of the update array', () => {
    for (const { name, message } of cases()) {
      const delta = message.update!.delta!;
      const general = encodeServerMessage(message);
      const inPlace = encodeUpdateInPlace(message);
      expect(inPlace, name).toBeDefined();
      const frame = inPlace!.frame;
      // the same fields with the same minimal varints, only in another order
      expect(frame.byteLength, name).toBe(general.byteLength);
      // Δθ is not copied: the frame ends with the update array's own bytes
      expect(frame.buffer, name).toBe(delta.buffer);
      expect(frame.byteOffset + frame.byteLength, name).toBe(delta.byteOffset + delta.byteLength);
      const decoded = decodeServerMessage(frame);
      expect(decoded.kind).toBe('update');
      // equal messages re-encode to the same bytes (protobufjs writes fields in number order)
      expect(Buffer.from(encodeServerMessage(decoded)).equals(Buffer.from(general)), name).toBe(true);
      expect(decoded.toJSON()).toEqual(decodeServerMessage(general).toJSON());
      inPlace!.release();
    }
  });

  it('decodes with Python\'s protobuf (C++ and pure-Python parsers) and the Python client\'s split_update as the general encoding does', (context) => {
    const python = process.env['FISHERD_PYTHON'] ?? '/usr/bin/python3';
    const probe = spawnSync(python, ['-c', 'import google.protobuf, numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      if (process.env['CI'] === 'true') throw new Error(`${python} lacks google.protobuf or numpy: ${probe.stderr ?? probe.error}`);
      context.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'fisherd-update-frame-'));
    try {
      const pairs = cases().map(({ message }, i) => {
        const inPlace = encodeUpdateInPlace(message)!;
        writeFileSync(join(dir, `${i}.in-place`), inPlace.frame);
        inPlace.release();
        writeFileSync(join(dir, `${i}.general`), encodeServerMessage(message));
        return i;
      });
      const script = `
import json, sys
from google.protobuf.internal import api_implementation
from fisherd_client import fisherd_pb2 as pb, wire
out = {'implementation': api_implementation.Type(), 'checked': 0}
for i in ${JSON.stringify(pairs)}:
    a = open(f'{sys.argv[1]}/{i}.in-place', 'rb').read()
    b = open(f'{sys.argv[1]}/{i}.general', 'rb').read()
    ma, mb = pb.ServerMessage.FromString(a), pb.ServerMessage.FromString(b)
    assert ma.WhichOneof('kind') == 'update' and ma == mb, i
    assert ma.SerializeToString(deterministic=True) == mb.SerializeToString(deterministic=True), i
    rest, delta = wire.split_update(memoryview(a))
    assert delta.tobytes() == mb.update.delta, i
    rest.update.delta = delta.tobytes()
    assert rest == mb, i
    out['checked'] += 1
print(json.dumps(out))
`;
      for (const implementation of ['cpp', 'python']) {
        const run = spawnSync(python, ['-c', script, dir], {
          encoding: 'utf8', timeout: 60_000,
          env: { ...process.env, PYTHONPATH: join(ROOT, 'clients', 'python'), PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION: implementation },
        });
        expect(run.status, run.stderr).toBe(0);
        const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { implementation: string; checked: number };
        expect(result.checked).toBe(pairs.length);
        // where the C++ parser is not installed protobuf falls back (with a warning) to another: still a check
        if (implementation === 'python') expect(result.implementation).toBe('python');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is one frame at a time per update array; a header larger than the room is left to the general encoding', () => {
    const u = updateArray(FRAME_ROOM_FROM, 5);
    const first = encodeUpdateInPlace(updateMessage(u, { requestId: 1 }))!;
    const held = Buffer.from(first.frame); // a copy of the frame in flight
    // a second reply of the same update (another worker) cannot write its header into the held room
    expect(encodeUpdateInPlace(updateMessage(u, { requestId: 2 }))).toBeUndefined();
    expect(first.frame.equals(held)).toBe(true);
    first.release();
    first.release(); // idempotent
    const second = encodeUpdateInPlace(updateMessage(u, { requestId: 2 }))!;
    expect(decodeServerMessage(second.frame).requestId).toBe(2);
    second.release();
    // the room is 4 KiB here: a 5000-byte session id does not fit, and the refusal leaves the room free
    expect(frameRoomBytes(FRAME_ROOM_FROM)).toBe(4096);
    expect(encodeUpdateInPlace(updateMessage(u, { sessionId: 's'.repeat(5000) }))).toBeUndefined();
    const third = encodeUpdateInPlace(updateMessage(u))!;
    expect(third).toBeDefined();
    third.release();
  });

  it('is not built for anything but exactly an update array\'s bytes in an Update reply', () => {
    const u = updateArray(FRAME_ROOM_FROM, 6);
    expect(encodeUpdateInPlace(updateMessage(new Float32Array(FRAME_ROOM_FROM)))).toBeUndefined(); // no room
    expect(encodeUpdateInPlace(updateMessage(Float32Array.from(u)))).toBeUndefined(); // a copy
    expect(encodeUpdateInPlace(updateMessage(u.subarray(1)))).toBeUndefined(); // a view that does not start at the room
    expect(encodeUpdateInPlace(updateMessage(u.subarray(0, FRAME_ROOM_FROM - 1)))).toBeUndefined(); // nor end at the memory's end
    expect(encodeUpdateInPlace(updateMessage(allocateUpdateArray(FRAME_ROOM_FROM - 1)))).toBeUndefined(); // small: plain arrays
    expect(allocateUpdateArray(FRAME_ROOM_FROM - 1).byteOffset).toBe(0);
    // another kind beside the update (the last one on the wire would win): left to the general encoding
    expect(encodeUpdateInPlace({ ...updateMessage(u), error: { code: 1, message: 'x' } })).toBeUndefined();
    expect(encodeUpdateInPlace({ requestId: 1, sessionClosed: { sessionId: 's', step: 1 } })).toBeUndefined();
    // and the refusals claimed nothing
    const frame = encodeUpdateInPlace(updateMessage(u));
    expect(frame).toBeDefined();
    frame!.release();
  });

  it('allocates Δθ with room in front, aligned as the allocation', () => {
    for (const n of [FRAME_ROOM_FROM, 100_000, 1_000_000, 10_000_000]) {
      const u = allocateUpdateArray(n);
      const room = frameRoomBytes(n);
      expect(u.byteOffset).toBe(room);
      expect(room % 64).toBe(0);
      expect(room).toBeGreaterThanOrEqual(4096);
      expect(room).toBeLessThanOrEqual(64 * 1024);
      expect(u.buffer.byteLength).toBe(room + 4 * n);
    }
  });
});

const D = FRAME_ROOM_FROM + 3;

function statisticsContribution(step: number, rng: Rng): StepContribution {
  const sum = Float32Array.from(rng.normals(D), (x) => 8 * x);
  const squares = Float32Array.from(rng.normals(D), (x) => 8 * x * x + 1e-3);
  return {
    step, workerId: 0, batchSize: 8, reduction: 'sum', loss: 1 / step,
    statistics: [{ block: '', kind: 'diagonal', moments: { count: 8, sum, sampledLabelSquares: squares, samplesPerExample: 1, sumSquares: squares, centredSquares: squares } }],
  };
}

// ngd takes the fused one-pass step (src/session/statistics-step.ts); va the general path (float32 rounding after the optimizer)
const CONFIGS: Record<'fused' | 'general', SessionConfig> = {
  fused: { dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2 } },
  general: { dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'va', stepSize: 0.1, damping: 1e-2 } },
};

function reply(result: { step: number; update: Float32Array; diagnostics: { updateNorm: number; computeMs: number } }, requestId: number): ServerMessageInit {
  return {
    requestId,
    update: updateToWire({
      sessionId: 's', step: result.step, delta: result.update,
      diagnostics: { batchSize: 8, updateNorm: result.diagnostics.updateNorm, computeSeconds: result.diagnostics.computeMs / 1000, values: {} },
    }),
  };
}

for (const kernels of availableKernels()) describe(`a session's updates, ${kernels} passes`, () => {
  const initial = kernelsInUse();
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels(initial));

  for (const path of ['fused', 'general'] as const) {
    it(`${path} step: Δθ is written into an array its reply is built around, and the array is not written again while that frame is held`, () => {
      const session = new Session(CONFIGS[path], BACKENDS[0]!);
      const rng = new Rng(11);
      const u1 = session.step([statisticsContribution(1, rng)]);
      const u2 = session.step([statisticsContribution(2, rng)]);
      // step 1's frame is being sent (ws has not written it yet) when the daemon recycles the array
      const inFlight = encodeUpdateInPlace(reply(u1, 1))!;
      expect(inFlight).toBeDefined();
      const general = encodeServerMessage(reply(u1, 1));
      const sent = Buffer.from(inFlight.frame);
      session.recycleUpdate(u1.update);
      // without the claim, step 3 would write into step 1's array (the pool's only one; step 2's is the last result)
      const u3 = session.step([statisticsContribution(3, rng)]);
      expect(u3.update).not.toBe(u1.update);
      expect(inFlight.frame.equals(sent)).toBe(true);
      expect(Buffer.from(encodeServerMessage(decodeServerMessage(inFlight.frame))).equals(Buffer.from(general))).toBe(true);
      // written out: the array goes back to the session, and a later step writes into it
      inFlight.release();
      session.recycleUpdate(u2.update);
      const later = [session.step([statisticsContribution(4, rng)]).update, session.step([statisticsContribution(5, rng)]).update];
      expect(later).toContain(u1.update);
      // every reply of the session is built in place (its header fits the room) and decodes as the general encoding
      for (const u of [u2, u3]) {
        const frame = encodeUpdateInPlace(reply(u, 9))!;
        expect(frame).toBeDefined();
        expect(Buffer.from(encodeServerMessage(decodeServerMessage(frame.frame))).equals(Buffer.from(encodeServerMessage(reply(u, 9))))).toBe(true);
        frame.release();
      }
    });
  }
});
