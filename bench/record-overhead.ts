/**
 * Recording overhead on the daemon's step round trip, for each durability policy, against the same
 * daemon without recording, in the same run.
 *
 * Four daemons run as child processes (`serve --port 0 --backend reference`): one without recording and
 * one per policy (`--record-dir` in a temporary directory, `--record-durability every-record | periodic |
 * on-close`, periodic with the defaults: sync every 100 records or 1000 ms). Each holds one session (a
 * diagonal empirical Fisher, EFGD). One step = one StepContribution frame of b per-example gradient rows
 * of D float32 (D = 20 000, b = 64: 5.1 MB), answered by one Update frame (D float32). Steps are
 * sequential (send, await the update), as in a training loop, and go round the four daemons step by
 * step (each step starting with the next daemon) so that all see the same load on this shared machine. Per policy: the median and p90 round trip,
 * `ratioToNoRecording` = median / the median without recording, and the trace bytes written per step.
 *
 * The trace lives on the same file system as the OS temporary directory; under every-record each step
 * pays an fdatasync of its contributions (overlapping the compute) and one of its update (before the
 * update is sent).
 *
 * Run: `npm run build && node dist/bench/record-overhead.js`, or call `runRecordOverheadBench()` (bench/run.ts does).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MAIN, RequestWire, processCpuMs, quantile, startChild } from './daemon-child.js';
import { sessionConfigToWire } from '../src/protocol/config-codec.js';
import { decodeServerMessage, encodeClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../src/protocol/frames.js';
import { contributionToWire } from '../src/protocol/step-codec.js';
import type { SessionConfig } from '../src/session/config.js';

export type RecordPolicy = 'no recording' | 'every-record' | 'periodic' | 'on-close';

export interface RecordOverheadRow {
  policy: RecordPolicy;
  dim: number;
  batchSize: number;
  steps: number;
  /** Median step round trip (send the contribution, receive the update), ms. */
  msPerStep: number;
  p90Ms: number;
  /** msPerStep / msPerStep without recording (1 = no overhead). */
  ratioToNoRecording: number;
  /** Trace bytes written per step, MB (10⁶ bytes); 0 without recording. */
  traceMbPerStep: number;
  /**
   * CPU time (user + system) of the daemon process per timed step, ms, from /proc (Linux; undefined
   * elsewhere): the recording's own work, apart from waiting for the disk, and steadier than wall time
   * on a shared machine. Resolution: one clock tick (10 ms) over all timed steps.
   */
  daemonCpuMsPerStep: number | undefined;
}

export interface RecordOverheadBenchOptions {
  /** D. Default 20 000. */
  dim?: number;
  /** b, per-example rows per step. Default 64. */
  batchSize?: number;
  /** Timed steps per policy (after `warmup`). Default 60. */
  steps?: number;
  /** Untimed steps first. Default 3. */
  warmup?: number;
}

const POLICIES: readonly RecordPolicy[] = ['no recording', 'every-record', 'periodic', 'on-close'];

/** A daemon child for one policy: reference backend, no periodic checkpoints, no dashboard. */
function startDaemon(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return startChild([MAIN, 'serve', '--port', '0', '--backend', 'reference', '--checkpoint-every', '0', '--dashboard', 'off', ...args]);
}

/** One request through `wire`, decoded; a daemon error frame fails the benchmark. */
async function request(wire: RequestWire, frame: Uint8Array): Promise<ServerMessage> {
  const message = decodeServerMessage(await wire.roundTrip(frame));
  if (message.kind === 'error') throw new Error(`fisherd error: ${message.error!.message}`);
  return message;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

export async function runRecordOverheadBench(options: RecordOverheadBenchOptions = {}): Promise<RecordOverheadRow[]> {
  const dim = options.dim ?? 20_000;
  const batchSize = options.batchSize ?? 64;
  const steps = options.steps ?? 60;
  const warmup = options.warmup ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'fisherd-record-bench-'));
  const grads = Float32Array.from({ length: dim * batchSize }, (_, i) => Math.sin(i * 0.37) * 1e-2);
  const config: SessionConfig = { dim, structure: { kind: 'diagonal' }, emaDecay: 0.9, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } };
  const frameOf = (step: number): Uint8Array =>
    encodeClientMessage({ requestId: step, step: contributionToWire({ step, workerId: 0, batchSize, reduction: 'sum', perExampleGrads: grads }) });

  const daemons: {
    policy: RecordPolicy; child: ChildProcess; wire: RequestWire; recordDir: string | undefined; latencies: number[];
    cpuAtStart: number | undefined; cpuMs: number | undefined;
  }[] = [];
  try {
    for (const policy of POLICIES) {
      const dataDir = join(root, policy.replace(' ', '-'));
      const recordDir = policy === 'no recording' ? undefined : join(dataDir, 'traces');
      const { child, url } = await startDaemon(['--data-dir', dataDir, ...(recordDir ? ['--record-dir', recordDir, '--record-durability', policy] : [])]);
      daemons.push({ policy, child, wire: await RequestWire.open(url), recordDir, latencies: [], cpuAtStart: undefined, cpuMs: undefined });
    }
    for (const d of daemons) {
      await request(d.wire, encodeClientMessage({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'record-overhead bench' } }));
      await request(d.wire, encodeClientMessage({ openSession: { config: sessionConfigToWire(config) } }));
    }
    for (let step = 1; step <= warmup + steps; step++) {
      if (step === warmup + 1) for (const d of daemons) d.cpuAtStart = processCpuMs(d.child.pid);
      const frame = frameOf(step);
      // Each step starts with another daemon, so that none always follows the client's frame encoding.
      for (let k = 0; k < daemons.length; k++) {
        const d = daemons[(step + k) % daemons.length]!;
        const started = performance.now();
        await request(d.wire, frame);
        if (step > warmup) d.latencies.push(performance.now() - started);
      }
    }
    for (const d of daemons) {
      const end = processCpuMs(d.child.pid);
      d.cpuMs = end === undefined || d.cpuAtStart === undefined ? undefined : (end - d.cpuAtStart) / steps;
    }
    const median = (d: (typeof daemons)[number]): number => quantile([...d.latencies].sort((a, b) => a - b), 0.5);
    const baseline = median(daemons[0]!);
    return daemons.map((d) => {
      const sorted = [...d.latencies].sort((a, b) => a - b);
      return {
        policy: d.policy, dim, batchSize, steps,
        msPerStep: quantile(sorted, 0.5),
        p90Ms: quantile(sorted, 0.9),
        ratioToNoRecording: quantile(sorted, 0.5) / baseline,
        traceMbPerStep: d.recordDir === undefined ? 0 : directoryBytes(d.recordDir) / (warmup + steps) / 1e6,
        daemonCpuMsPerStep: d.cpuMs,
      };
    });
  } finally {
    for (const d of daemons) d.wire.ws.close();
    await Promise.all(daemons.map((d) => new Promise((resolve) => {
      if (d.child.exitCode !== null || d.child.signalCode !== null) return resolve(undefined);
      d.child.once('exit', resolve);
      d.child.kill('SIGTERM');
    })));
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dim = Number(process.argv.find((a) => a.startsWith('--dim='))?.slice(6) ?? 20_000);
  const rows = await runRecordOverheadBench({ dim });
  console.table(rows.map((r) => ({
    policy: r.policy, 'ms / step': r.msPerStep.toFixed(2), 'p90 ms': r.p90Ms.toFixed(2), '× no recording': r.ratioToNoRecording.toFixed(2),
    'trace MB / step': r.traceMbPerStep.toFixed(2), 'daemon CPU ms / step': r.daemonCpuMsPerStep?.toFixed(1) ?? '—',
  })));
}
