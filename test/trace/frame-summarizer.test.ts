/**
 * FrameSummarizer (what each replay thread runs), in this thread: a frame's summary is Session.summarize of
 * the recorded contribution, bit for bit; damage and invalid contributions come back as data.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/linalg/select.js';
import { log } from '../../src/log.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { FrameSummarizer, type SummaryReply } from '../../src/trace/frame-summarizer.js';
import { openTrace } from '../../src/trace/reader.js';
import { listSegments } from '../../src/trace/segment-files.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { withTempDir } from './fixtures.js';

const D = 21;
const B = 5;
const config: SessionConfig = {
  dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9,
  fisherSource: 'sampled', track: { empiricalFisher: true, noise: true, fisher: true },
};
const silent = log.child({}, { level: 'silent' });

function contribution(step: number): StepContribution {
  const rows = (n: number, seed: number) => Float32Array.from({ length: n * D }, (_, i) => Math.sin(seed * 7.1 + i * 0.37));
  return { step, workerId: 0, batchSize: B, reduction: 'sum', loss: 0.5, perExampleGrads: rows(B, step), sampledLabelGrads: { samplesPerExample: 1, rows: rows(B, step + 50) } };
}

async function frames(dir: string, bodies: Uint8Array[]): Promise<{ path: string; offset: number; frameLength: number }[]> {
  const writer = await TraceWriter.open(dir, { sessionId: 's', backend: 'openblas', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish() }, { sync: 'on-close' });
  for (const body of bodies) await writer.appendContribution(body);
  await writer.close();
  const reader = await openTrace([dir]);
  const found: { path: string; offset: number; frameLength: number }[] = [];
  for await (const e of reader) if (e.kind === 'contribution') found.push({ path: e.path, offset: e.offset, frameLength: e.frameLength });
  return found;
}

describe('FrameSummarizer', () => {
  it('summarizes a recorded frame exactly as Session.summarize summarizes its contribution', () => withTempDir(async (dir) => {
    const backend = await createBackend('openblas');
    const inputs = [1, 2, 3].map(contribution);
    const where = await frames(join(dir, 't'), inputs.map((c) => fisherd.v1.StepContribution.encode(contributionToWire(c)).finish()));
    const summarizer = new FrameSummarizer(config, backend, silent, undefined);
    const reference = new Session(config, await createBackend('openblas'));
    try {
      where.forEach((frame, i) => {
        const reply = summarizer.summarize({ id: i, ...frame, summary: undefined });
        expect(reply.kind).toBe('summary');
        const expected = reference.summarize([inputs[i]!], { step: inputs[i]!.step }).summary;
        const got = new Float64Array((reply as Extract<SummaryReply, { kind: 'summary' }>).summary);
        expect(Array.from(got)).toEqual([...expected.mean, ...expected.squares!, ...expected.centredSquares!, ...expected.fisherSquares!]);
        expect(reply).toMatchObject({ recordedStep: i + 1, batchSize: B, loss: 0.5, fisherNormalization: 1 / B });
      });
    } finally {
      summarizer.close();
    }
  }));

  it('reports damage and invalid contributions as data', () => withTempDir(async (dir) => {
    const backend = await createBackend('openblas');
    const bad = contributionToWire(contribution(2));
    bad.perExampleGrads = new Uint8Array(B * D * 4 - 2);
    const where = await frames(join(dir, 't'), [
      fisherd.v1.StepContribution.encode(contributionToWire(contribution(1))).finish(),
      fisherd.v1.StepContribution.encode(bad).finish(),
      new Uint8Array(100).fill(0xff),
    ]);
    const summarizer = new FrameSummarizer(config, backend, silent, undefined);
    try {
      expect(summarizer.summarize({ id: 0, ...where[1]!, summary: undefined })).toMatchObject({ kind: 'step-error', recordedStep: 2, error: { code: 'SHAPE_MISMATCH' } });
      expect(summarizer.summarize({ id: 1, ...where[2]!, summary: undefined })).toMatchObject({ kind: 'frame-failure', failure: { status: 'undecodable' } });
      const [segment] = await listSegments(join(dir, 't'));
      const bytes = await readFile(segment!.path);
      bytes[where[0]!.offset + 40]! ^= 0x04;
      await writeFile(segment!.path, bytes);
      expect(summarizer.summarize({ id: 2, ...where[0]!, summary: undefined })).toMatchObject({ kind: 'frame-failure', failure: { status: 'bad-payload-crc' } });
      expect(summarizer.summarize({ id: 3, ...where[0]!, frameLength: bytes.length, summary: undefined })).toMatchObject({ kind: 'frame-failure', failure: { status: 'incomplete' } });
      expect(summarizer.summarize({ id: 4, path: join(dir, 'missing.fdt'), offset: 0, frameLength: 64, summary: undefined })).toMatchObject({ kind: 'io-error' });
    } finally {
      summarizer.close();
    }
  }));
});
