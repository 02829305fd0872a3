/**
 * Crafted traces for the header-hardening tests (issue 12, "Trace tools trust nothing"), generated in the
 * test, never committed: each is a small, well-framed trace (every CRC right) whose header lies: sizes far
 * over the daemon's limits, a config that does not decode, none at all, an unknown enum value, a nesting
 * no decoder follows, header fields missing, or a length the file cannot hold.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import { validateSessionConfig, type SessionConfig } from '../../src/session/config.js';
import { encodeFrame, encodeFrameHeader } from '../../src/trace/framing.js';
import { encodeRecord, TRACE_FORMAT_VERSION, TRACE_MAGIC, type TraceHeader } from '../../src/trace/record-codec.js';
import { schemaHash } from '../../src/trace/schema-hash.js';
import { segmentFileName } from '../../src/trace/segment-files.js';
import { varintSize, writeVarint } from '../../src/trace/wire.js';

/** D of the contribution every crafted trace carries (what a real one of these configs could not hold). */
const D = 4;

const encodeWire = (config: fisherd.v1.SessionConfig.$Properties): Uint8Array => new Uint8Array(fisherd.v1.SessionConfig.encode(config).finish());
const encodeConfig = (config: SessionConfig): Uint8Array => encodeWire(sessionConfigToWire(config));

const sgd = { name: 'sgd', stepSize: 0.1 } as const;

/**
 * A SessionConfig (D = 4, sgd) whose step size is a warm-up of a warm-up of … `depth` deep, encoded by
 * hand from the inside out (protobufjs would recurse as deep to encode it).
 */
export function nestedWarmupConfig(depth: number): Uint8Array {
  const inner = fisherd.v1.Schedule.encode({ constant: 0.1 }).finish();
  const field = (tag: number, length: number) => {
    const out = new Uint8Array(1 + varintSize(length));
    out[0] = tag;
    writeVarint(out, 1, length);
    return out;
  };
  // Level k (from the inside out) is Schedule{ warmup = 4: WarmupSchedule{ steps = 2: 1, then = 3: level k−1 } }:
  // its bytes are a prefix followed by level k−1's. The prefixes are computed inside out, written outside in.
  const prefixes: Uint8Array[] = [];
  let scheduleLength = inner.length;
  for (let k = 0; k < depth; k++) {
    const then = field(0x1a, scheduleLength);
    const warmupLength = 2 + then.length + scheduleLength;
    const prefix = new Uint8Array([...field(0x22, warmupLength), 0x10, 0x01, ...then]);
    prefixes.push(prefix);
    scheduleLength += prefix.length;
  }
  const stepSize = new Uint8Array(scheduleLength);
  let at = 0;
  for (let k = prefixes.length - 1; k >= 0; k--) {
    stepSize.set(prefixes[k]!, at);
    at += prefixes[k]!.length;
  }
  stepSize.set(inner, at);
  const optimizer = new Uint8Array([0x08, 0x01, ...field(0x12, stepSize.length), ...stepSize]); // name = SGD, step_size = 2
  return new Uint8Array([0x08, D, ...field(0x22, optimizer.length), ...optimizer]); // dim = 1: 4, optimizer = 4
}

export interface CraftedCase {
  name: string;
  /** The header's session config bytes. */
  sessionConfig: Uint8Array;
  /** The decoded config, for the cases that decode (to ask validateSessionConfig what it thinks). */
  config?: SessionConfig;
  /** Header fields to replace. */
  header?: Partial<TraceHeader>;
  /** Raw segment bytes instead of a written trace (for lengths that disagree with the file). */
  raw?: Uint8Array;
}

/**
 * Whether the daemon refuses this case at OpenSession too, i.e. whether every trace tool must call it
 * TRACE_CORRUPT: always for what does not decode; for a config that decodes, what `validateSessionConfig`
 * (the daemon's check, with its size limits) says.
 */
export function refusedByDaemon(c: CraftedCase): boolean {
  if (c.config === undefined) return true;
  try {
    validateSessionConfig(c.config);
    return false;
  } catch {
    return true;
  }
}

const valid: SessionConfig = { dim: D, optimizer: sgd };

/** A config every check accepts (D = 4, sgd), encoded. */
export const encodeValidConfig = (): Uint8Array => encodeConfig(valid);

/** The crafted headers of issue 12, item 6. */
export function craftedCases(): CraftedCase[] {
  const withConfig = (name: string, config: SessionConfig): CraftedCase => ({ name, sessionConfig: encodeConfig(config), config });
  const blocks = Array.from({ length: 20_000 }, (_, i) => ({ name: `b${i}`, size: 1, structure: { kind: 'diagonal' as const } }));
  // A header frame whose (CRC-valid) length claims 1 GiB, in a file of a few dozen bytes.
  const liar = new Uint8Array(64);
  liar.set(encodeFrameHeader(2 ** 30), 0);
  liar.set(Uint8Array.from({ length: 52 }, (_, i) => i), 12);
  return [
    withConfig('huge dim (2^32 - 1)', { dim: 2 ** 32 - 1, optimizer: sgd }),
    withConfig('huge workers (2^32 - 1)', { ...valid, workers: 2 ** 32 - 1 }),
    withConfig('rank far above D (2^31 on D = 4)', { ...valid, structure: { kind: 'lowrank', rank: 2 ** 31 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } }),
    withConfig('20 000 blocks', { dim: blocks.length, blocks, optimizer: sgd }),
    { name: 'a warm-up schedule nested 10 000 deep', sessionConfig: nestedWarmupConfig(10_000) },
    { name: 'a config that does not decode', sessionConfig: Uint8Array.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]) },
    { name: 'a header without a config', sessionConfig: new Uint8Array(0) },
    { name: 'an unknown enum value (fisherSource = 9)', sessionConfig: encodeWire({ ...sessionConfigToWire(valid), fisherSource: 9 as fisherd.v1.FisherSource }) },
    { name: 'an unknown structure kind (7)', sessionConfig: encodeWire({ ...sessionConfigToWire(valid), structure: { kind: 7 as fisherd.v1.BlockStructure.Kind } }) },
    { name: 'a header without a session id', sessionConfig: encodeConfig(valid), header: { sessionId: '' } },
    { name: 'a header without a format version', sessionConfig: encodeConfig(valid), header: { formatVersion: 0 } },
    { name: 'a creation time no date can hold', sessionConfig: encodeConfig(valid), header: { createdAtMs: Number.MAX_SAFE_INTEGER } },
    { name: 'a header length the file cannot hold (1 GiB in 64 bytes)', sessionConfig: new Uint8Array(0), raw: liar },
  ];
}

/** A contribution of D = 4 that a session of `valid` would take. */
function contributionBytes(): Uint8Array {
  return new Uint8Array(fisherd.v1.StepContribution.encode(contributionToWire({
    step: 1, workerId: 0, batchSize: 2, reduction: 'sum', loss: 0.5, perExampleGrads: Float32Array.from({ length: 2 * D }, (_, i) => (i % 5) - 2),
  })).finish());
}

const frame = (record: Parameters<typeof encodeRecord>[0]) => encodeFrame(encodeRecord(record));

/** Writes the case as one closed segment (header, one contribution, end) under `dir`; returns the segment's path. */
export async function writeCrafted(dir: string, c: CraftedCase): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, segmentFileName(1));
  if (c.raw) {
    await writeFile(path, c.raw);
    return path;
  }
  const header: TraceHeader = {
    magic: TRACE_MAGIC, formatVersion: TRACE_FORMAT_VERSION, schemaHash: schemaHash(), fisherdVersion: '0.1.0', sessionId: 'crafted',
    sessionConfig: c.sessionConfig, createdAtMs: 1_000, segmentIndex: 1, backend: 'reference', ...c.header,
  };
  const frames = [
    frame({ kind: 'header', header, recordedAtMs: 1_000 }),
    frame({ kind: 'contribution', body: contributionBytes(), recordedAtMs: 1_001 }),
    frame({ kind: 'end', end: { records: 2, continued: false, recovered: false }, recordedAtMs: 1_002 }),
  ];
  await writeFile(path, Buffer.concat(frames));
  return path;
}
