/**
 * `fisherd replay` with overrides and --export-updates, end to end through the built CLI (a child process
 * running test-artifacts/e2e-dist, built by test/e2e/daemon-harness.ts).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDaemon, ROOT } from '../e2e/daemon-harness.js';
import { withTempDir } from './fixtures.js';
import { recordTrace } from './session-fixtures.js';
import { parseNpy } from './npy.js';

let main = '';

beforeAll(async () => {
  main = await buildDaemon();
}, 180_000);

/** `node <built main.js> ...args` (killed past 30 s). */
async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env: { ...process.env, VITEST: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(kill);
  return { code, stdout, stderr };
}

/** stderr without pino's JSON log lines: what a person reads. */
const humanLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));

describe('fisherd replay: what if (built CLI)', () => {
  it('--rule and --step-size set γ and λ per rule; --export-updates writes .npy files whose data are the replayed updates', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 6); // ngd, γ 0.1, λ 1e-3, diagonal, sampled labels, D = 6, updates recorded
    const out = join(dir, 'out');
    const exported = join(dir, 'updates');
    const run = await cli('replay', trace, '--optimizer', 'sgd', '--rule', 'ngd:stepSize=0.05', '--rule', 'efgd:damping=0.5', '--step-size', '0.2',
      '--export-updates', exported, '--backend', 'reference', '--threads', '0', '--out', out, '--no-progress');
    expect(humanLines(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/along the recorded parameter path \(open loop\)/);
    expect(run.stdout).toMatch(/^ {2}sgd \(γ=0\.2\): 6 steps$/m);
    expect(run.stdout).toMatch(/^ {2}ngd \(γ=0\.05\): 6 steps$/m);
    expect(run.stdout).toMatch(/^ {2}efgd \(γ=0\.2, λ=0\.5\): 6 steps$/m);
    expect(run.stdout).toMatch(/recorded updates not compared: the step size or damping of ngd was overridden/);
    expect(run.stdout).toContain(join(exported, 'ngd.npy'));

    const [head, ...lines] = (await readFile(join(out, 'steps.csv'), 'utf8')).trim().split('\n');
    const columns = head!.split(',');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i]!, v])));
    expect(rows.length).toBe(3 * 6);
    for (const row of rows) {
      expect(Number(row['stepSize'])).toBe({ sgd: 0.2, ngd: 0.05, efgd: 0.2 }[row['optimizer']!]);
      if (row['optimizer'] !== 'sgd') expect(Number(row['damping'])).toBe(row['optimizer'] === 'efgd' ? 0.5 : 1e-3);
      for (const c of ['cosineRecorded', 'recordedUpdateNorm', 'gradDotUpdate', 'qFisher', 'qEmpiricalFisher', 'qFisherRecorded', 'qEmpiricalFisherRecorded']) {
        expect(Number.isFinite(Number(row[c])) && row[c] !== '').toBe(true);
      }
      // ngd at another step size points where the recorded ngd did
      if (row['optimizer'] === 'ngd') expect(Number(row['cosineRecorded'])).toBeCloseTo(1, 12);
    }
    for (const svg of ['cosine-recorded.svg', 'local-model.svg']) expect(await readFile(join(out, svg), 'utf8')).toContain('mark-line');

    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.localModel).toEqual({ fisher: 'sampled', empiricalFisher: true });
    expect(summary.overrides).toEqual({ stepSize: 0.2, rules: { ngd: { stepSize: 0.05 }, efgd: { damping: 0.5 } } });
    const index = JSON.parse(await readFile(join(exported, 'index.json'), 'utf8'));
    expect(index).toMatchObject({ format: 'fisherd-replay-updates/1', dtype: 'float32', byteOrder: 'little', dim: 6 });
    for (const name of ['sgd', 'ngd', 'efgd']) {
      const npy = await readFile(join(exported, `${name}.npy`));
      const header = parseNpy(npy);
      expect(header).toMatchObject({ descr: '<f4', fortranOrder: false, shape: [6, 6] });
      // the data, hashed, are the replay's digest of this rule's updates (float32 bytes in step order)
      const digest = `sha256:${createHash('sha256').update(npy.subarray(header.dataOffset)).digest('hex')}`;
      expect(digest).toBe(summary.optimizers.find((o: { optimizer: string }) => o.optimizer === name).updateDigest);
      // and the per-step CSV beside it holds the same rows as steps.csv
      const csv = (await readFile(join(exported, `${name}.csv`), 'utf8')).trim().split('\n');
      expect(csv.slice(1).map((l) => l.slice(l.indexOf(',') + 1))).toEqual(lines.filter((l) => l.split(',')[1] === name));
    }
    // sgd: Δ = −0.2 ḡ, so ‖Δ‖ = 0.2 ‖ḡ‖ row by row, read back from the .npy
    const sgd = await readFile(join(exported, 'sgd.npy'));
    const data = new Float32Array(sgd.buffer.slice(sgd.byteOffset + parseNpy(sgd).dataOffset, sgd.byteOffset + sgd.byteLength));
    rows.filter((r) => r['optimizer'] === 'sgd').forEach((r, i) => {
      expect(Math.hypot(...data.subarray(i * 6, (i + 1) * 6))).toBeCloseTo(0.2 * Number(r['gradNorm']), 6);
    });
  }), 60_000);

  it('refuses a bad --rule, a rule-less replay and offline-only options with --url, in one line and exit code 1', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 2);
    const out = join(dir, 'out');
    const badKey = await cli('replay', trace, '--rule', 'ngd:stepsize=0.1', '--out', out, '--no-progress');
    expect(badKey.code).toBe(1);
    expect(humanLines(badKey.stderr)).toEqual([expect.stringMatching(/unknown key "stepsize" in --rule ngd:stepsize=0\.1: stepSize or damping/)]);
    const badValue = await cli('replay', trace, '--rule', 'ngd:damping=-1', '--out', out, '--no-progress');
    expect(badValue.code).toBe(1);
    expect(humanLines(badValue.stderr)).toEqual([expect.stringMatching(/ngd's damping must be ≥ 0, got -1/)]);
    const none = await cli('replay', trace, '--out', out, '--no-progress');
    expect(none.code).toBe(1);
    expect(humanLines(none.stderr)).toEqual([expect.stringMatching(/^replay: INVALID_CONFIG: choose the rules to replay with --optimizer LIST or --rule NAME/)]);
    const remote = await cli('replay', trace, '--optimizer', 'ngd', '--url', 'ws://127.0.0.1:9', '--step-size', '0.1', '--out', out, '--no-progress');
    expect(remote.code).toBe(1);
    expect(humanLines(remote.stderr)).toEqual([expect.stringMatching(/^replay: INVALID_CONFIG: --step-size: offline replays only; a replay through a daemon \(--url\) replays the recorded config$/)]);
  }), 60_000);
});
