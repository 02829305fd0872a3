import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerReplayCommand } from '../../src/cli/replay.js';
import { registerTraceCommands } from '../../src/cli/trace.js';
import { listSegments } from '../../src/trace/segment-files.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd as wire } from '../../src/protocol/generated/fisherd.js';
import { updateToWire, type UpdateDiagnostics } from '../../src/protocol/step-codec.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { withTempDir } from './fixtures.js';
import { recordTrace } from './session-fixtures.js';

/** Runs `fisherd ...args` in process; returns stdout and the exit code it set. */
async function fisherd(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
  const program = new Command('fisherd').exitOverride();
  registerTraceCommands(program);
  registerReplayCommand(program);
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'fisherd', ...args]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout, exitCode };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('fisherd trace', () => {
  it('verify: exit 0 when intact, 1 when damaged', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 4);
    expect(await fisherd('trace', 'verify', trace)).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^intact: 1 segment\(s\), 10 records, 4 steps/) });
    const [segment] = await listSegments(trace);
    const bytes = await readFile(segment!.path);
    bytes[bytes.length - 40]! ^= 0x20;
    await writeFile(segment!.path, bytes);
    const damaged = await fisherd('trace', 'verify', trace);
    expect(damaged.exitCode).toBe(1);
    expect(damaged.stdout).toMatch(/damaged/);
  }));

  it('inspect --json and export --json describe the same trace', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 3);
    const inspect = JSON.parse((await fisherd('trace', 'inspect', '--json', trace)).stdout);
    expect(inspect).toMatchObject({ intact: true, dim: 6, contributions: 3, updates: 3, steps: { count: 3, first: 1, last: 3 }, workers: 1 });
    expect(inspect.inputs.perExampleGrads).toEqual({ contributions: 3, bytes: 3 * 4 * 6 * 4, rows: 12 });
    expect(inspect.segments[0].header).toMatchObject({ sessionId: 'replay-test', backend: 'reference', schemaMatches: true, sessionConfig: { dim: 6 } });
    const text = (await fisherd('trace', 'inspect', trace)).stdout;
    expect(text).toMatch(/steps {8}3 \(1…3\)/);

    const lines = (await fisherd('trace', 'export', '--json', '--with-data', trace)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.record)).toEqual(['header', 'contribution', 'update', 'contribution', 'update', 'contribution', 'update', 'end']);
    expect(lines[1]).toMatchObject({ step: 1, workerId: 0, batchSize: 4, reduction: 'sum', perExampleGrads: { length: 24 } });
    expect(lines[1].perExampleGrads.data).toHaveLength(24);
    expect(lines[2].delta.data).toHaveLength(6);
  }));
});

/** A trace of updates only, with the given diagnostics per step, for the CSV export. */
async function updatesTrace(dir: string, sessionId: string, diagnostics: readonly UpdateDiagnostics[], name?: string): Promise<void> {
  const config = { dim: 2, optimizer: { name: 'ngd' as const, stepSize: 0.1, damping: 1e-3 }, ...(name === undefined ? {} : { name }) };
  const writer = await TraceWriter.open(dir, {
    sessionId, backend: 'reference', sessionConfig: wire.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
  }, { sync: 'on-close' });
  for (const [i, d] of diagnostics.entries()) {
    await writer.appendUpdate(wire.v1.Update.encode(updateToWire({ sessionId, step: i + 1, delta: new Float32Array(2), diagnostics: d })).finish());
  }
  await writer.close();
}

describe('fisherd trace export --csv', () => {
  const steps: UpdateDiagnostics[] = [
    { loss: 0.693, batchSize: 32, updateNorm: 0.125, computeSeconds: 0.0004, values: { gradNorm: 1.5, stepSize: 0.1, damping: 0.001, cosineEfFisher: 0.97 } },
    { batchSize: 16, updateNorm: 1e-7, computeSeconds: 0.0003, values: { gradNorm: Number.NaN, stepSize: 0.1, damping: 0.001, zNew: 2 } },
    { loss: 0.5, batchSize: 32, updateNorm: 0.0625, computeSeconds: 0.0002, values: { gradNorm: Number.POSITIVE_INFINITY, stepSize: 0.05, meanSnr: 0.25 } },
  ];

  it('writes one row per update: fixed columns, then every diagnostic that occurs (documented order, then others)', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await updatesTrace(trace, 'csv-test', steps);
    const { stdout, exitCode } = await fisherd('trace', 'export', '--csv', trace);
    expect(exitCode).toBe(0);
    expect(stdout).toBe([
      'step,loss,batch_size,update_norm,compute_seconds,gradNorm,stepSize,damping,cosineEfFisher,meanSnr,zNew',
      '1,0.693,32,0.125,0.0004,1.5,0.1,0.001,0.97,,',
      '2,,16,1e-7,0.0003,nan,0.1,0.001,,,2',
      '3,0.5,32,0.0625,0.0002,inf,0.05,,,0.25,',
      '',
    ].join('\n'));
    // --out writes the same to a file.
    const file = join(dir, 'steps.csv');
    expect((await fisherd('trace', 'export', '--csv', '--out', file, trace)).stdout).toBe('');
    expect(await readFile(file, 'utf8')).toBe(stdout);
  }));

  it('adds session_id when the inputs hold several sessions; asks for exactly one format', () => withTempDir(async (dir) => {
    await updatesTrace(join(dir, 'a'), 'sess-a', steps.slice(0, 1));
    await updatesTrace(join(dir, 'b'), 'sess-b', steps.slice(2));
    const lines = (await fisherd('trace', 'export', '--csv', join(dir, 'a'), join(dir, 'b'))).stdout.trim().split('\n');
    expect(lines[0]).toBe('step,loss,batch_size,update_norm,compute_seconds,gradNorm,stepSize,damping,cosineEfFisher,meanSnr,session_id');
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['sess-a', 'sess-b']);
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      expect((await fisherd('trace', 'export', join(dir, 'a'))).exitCode).toBe(2);
      expect((await fisherd('trace', 'export', '--csv', '--json', join(dir, 'a'))).exitCode).toBe(2);
      expect((await fisherd('trace', 'export', '--csv', '--with-data', join(dir, 'a'))).exitCode).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(stderr.join('')).toMatch(/choose one format: --json or --csv\n.*not both.*\n.*--with-data goes with --json/s);
  }));

  it('trace inspect shows the session name from the header', () => withTempDir(async (dir) => {
    await updatesTrace(join(dir, 'named'), 'sess-n', steps.slice(0, 1), 'mnist ngd 2026-12-03 08:15:02');
    expect((await fisherd('trace', 'inspect', join(dir, 'named'))).stdout).toMatch(/^session {6}sess-n\nname {9}mnist ngd 2026-12-03 08:15:02\n/);
    await updatesTrace(join(dir, 'unnamed'), 'sess-u', steps.slice(0, 1));
    expect((await fisherd('trace', 'inspect', join(dir, 'unnamed'))).stdout).toContain('name         (unnamed)\n');
    const json = JSON.parse((await fisherd('trace', 'inspect', '--json', join(dir, 'named'))).stdout);
    expect(json.segments[0].header.sessionConfig.name).toBe('mnist ngd 2026-12-03 08:15:02');
  }));
});

describe('fisherd replay', () => {
  it('writes CSV, JSON and SVG plots and says the recorded updates were reproduced', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 5);
    const out = join(dir, 'out');
    const { stdout, exitCode } = await fisherd('replay', trace, '--optimizer', 'sgd,ngd,efgd,snr,va', '--backend', 'reference', '--out', out, '--no-progress');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/reproduced bit for bit \(5\/5/);
    const csv = (await readFile(join(out, 'steps.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('step,optimizer,loss,batchSize,gradNorm,updateNorm,cosineEfFisher,meanSnr,stepSize,damping,' +
      'cosineRecorded,recordedUpdateNorm,gradDotUpdate,qFisher,qEmpiricalFisher,qFisherRecorded,qEmpiricalFisherRecorded');
    expect(csv.length).toBe(1 + 5 * 5);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.reproduction.reproduced).toBe(true);
    for (const svg of ['update-norm.svg', 'cosine-ef-fisher.svg', 'mean-snr.svg']) {
      const text = await readFile(join(out, svg), 'utf8');
      expect(text).toMatch(/^<svg|<\?xml/);
      expect(text).toContain('mark-line');
    }
    expect((await readFile(join(out, 'update-norm.svg'), 'utf8')).match(/class="mark-line"/g)).toHaveLength(5);
  }));

  it('--threads N: the same steps.csv with none, and a bad count refused', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 4);
    const csv: string[] = [];
    for (const threads of ['0', '2']) {
      const out = join(dir, `out-${threads}`);
      const { exitCode } = await fisherd('replay', trace, '--optimizer', 'ngd,va', '--backend', 'reference', '--threads', threads, '--out', out, '--no-progress');
      expect(exitCode).toBe(0);
      csv.push(await readFile(join(out, 'steps.csv'), 'utf8'));
    }
    expect(csv[1]).toBe(csv[0]);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(fisherd('replay', trace, '--optimizer', 'ngd', '--threads', '1.5', '--out', join(dir, 'x'), '--no-progress')).rejects.toThrow(/not a count/);
    } finally {
      stderr.mockRestore();
    }
  }));

  it('reports an invalid override (lowrank:0) with exit code 1', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 2);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { exitCode } = await fisherd('replay', trace, '--optimizer', 'adam,sgd', '--out', join(dir, 'o'), '--no-progress', '--structure', 'lowrank:0');
      expect(exitCode).toBe(1);
    } finally {
      stderr.mockRestore();
    }
  }));
});
