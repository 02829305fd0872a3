/**
 * Step round trips through the daemon against a bare WebSocket echo, in the same run.
 *
 * Part 1 (`runRoundtripBench`), rows: one step = one StepContribution frame (D float32 per-example
 * gradients × b rows, D = 1e5, b = 64: 25.6 MB) over loopback, answered by one Update frame (D float32),
 * for EFGD on a diagonal and on a low-rank empirical Fisher. Servers (child processes, so that server and
 * client do not share an event loop):
 *   - fisherd (`serve --port 0`) as installed: ws with its native helpers (the optional `bufferutil`
 *     package: masking/unmasking in C) when they load;
 *   - the same fisherd with WS_NO_BUFFER_UTIL=1 (ws's JavaScript byte loop unmasks the 25.6 MB), the
 *     same-run A/B of the native helpers on the daemon's side (only when they load at all);
 *   - a bare `ws` server that answers every frame with a pre-built frame of the size of fisherd's reply
 *     (no decoding, no compute): the transport's floor for the same bytes in and out.
 * The client (this process) masks its frames with whatever ws loads here (native when available).
 *
 * Part 2 (`runStatisticsRoundtripBench`), statistics: D = 10⁶, b = 32, diagonal NGD with sampled labels
 * (K = 1). The same step as b sampled-label rows (128 MB), as statistics in float32 (Σg and Σg̃², 8 MB) and
 * in float16 (4 MB), and a bare echo of each statistics frame (answered with an update-sized frame).
 * Targets (issue 13): statistics ≥ 50× faster than rows, within 1.5× of the echo of the same bytes.
 *
 * Steps are sequential (send, await the reply), as in a training loop. All transports run round by round,
 * one step each per round, in an order rotated every round, so that all see the same load on this shared
 * machine. Per transport: median and p10/p90 latency, MB/s of request + reply bytes, the session's own
 * compute (fisherd's `computeSeconds` diagnostic), the server's CPU per step (/proc; steadier than latency
 * on a shared machine), and ratios against the echo.
 *
 * A/B: with `baselineMain` (CLI `--baseline=PATH/dist/src/cli/main.js`, another build of fisherd) a further
 * server joins part 1's rounds; its rows are "fisherd (baseline)".
 *
 * Run: `npm run build && node dist/bench/roundtrip.js [--part=rows,statistics] [--runs=N] [--baseline=…]`,
 * or call the two functions (bench/run.ts does).
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MAIN, ROOT, RequestWire, processCpuMs, quantile, startChild, wsNativeMasking } from './daemon-child.js';
import { sessionConfigToWire } from '../src/protocol/config-codec.js';
import { decodeServerMessage, encodeClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../src/protocol/frames.js';
import type { StatisticsEncoding } from '../src/protocol/statistics-codec.js';
import { contributionToWire } from '../src/protocol/step-codec.js';
import type { StepContribution } from '../src/session/contribution.js';
import type { SessionConfig } from '../src/session/config.js';

export interface RoundtripBenchRow {
  /** e.g. "diagonal efgd", "lowrank r=16 efgd", "ngd statistics float16". */
  case: string;
  /** "fisherd", "fisherd (WS_NO_BUFFER_UTIL)", "ws echo", … */
  transport: string;
  dim: number;
  batchSize: number;
  steps: number;
  requestBytes: number;
  replyBytes: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** (request + reply bytes) / median latency, MB = 10⁶ bytes. */
  mbPerSecond: number;
  /** The server's CPU time (user + system) per timed step; undefined where /proc is not available. */
  serverCpuMs?: number;
  /** fisherd rows: median of the session's compute per step. */
  computeMs?: number;
  /** fisherd rows: echo median / fisherd median (of the echo of the same bytes). */
  ratio?: number;
  /** fisherd rows: echo median / (fisherd median − compute median): protocol and session overhead only. */
  ratioExcludingCompute?: number;
  /** Part 2's statistics rows: rows median / this median. */
  speedupVsRows?: number;
}

export interface RoundtripBenchOptions {
  /** D. Default 100 000. */
  dim?: number;
  /** b, per-example rows per step. Default 64. */
  batchSize?: number;
  /** Timed rounds per case (after `warmup`). Default 20. */
  steps?: number;
  /** Untimed steps first. Default 3. */
  warmup?: number;
  /** Rank cap of the low-rank case. Default 16. */
  rank?: number;
  /** fisherd's backend. Default 'auto'. */
  backend?: string;
  /** main.js of another fisherd build to compare against in the same rounds (A/B). Default none. */
  baselineMain?: string;
}

const ECHO_SERVER = `
import { WebSocketServer } from 'ws';
const replyBytes = Number(process.argv[1]);
const reply = Buffer.alloc(replyBytes, 7);
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 1 << 30, perMessageDeflate: false });
wss.on('connection', (ws) => { ws.on('error', () => {}); ws.on('message', () => ws.send(reply, { binary: true })); });
wss.on('listening', () => console.log('listening on ws://127.0.0.1:' + wss.address().port));
`;

function decoded(frame: Buffer): ServerMessage {
  const message = decodeServerMessage(frame);
  if (message.kind === 'error') throw new Error(`fisherd error: ${message.error!.message}`);
  return message;
}

/** One thing a round steps: a connection and the frame of each step. */
interface Target {
  transport: string;
  caseName: string;
  client: RequestWire;
  pid: number | undefined;
  frameOf: (step: number) => Uint8Array;
  /** Step number of the next frame. */
  next: number;
  fisherd: boolean;
  latencies: number[];
  computes: number[];
  requestBytes: number;
  replyBytes: number;
  cpuStart?: number;
  cpuEnd?: number;
}

/** `rounds` timed rounds, each target one step per round, in an order rotated by one every round. */
async function alternate(targets: Target[], rounds: number): Promise<void> {
  for (const t of targets) t.cpuStart = processCpuMs(t.pid);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(round + k) % targets.length]!;
      const frame = t.frameOf(t.next++);
      t.requestBytes = frame.byteLength;
      const started = performance.now();
      const reply = await t.client.roundTrip(frame);
      t.latencies.push(performance.now() - started);
      t.replyBytes = reply.byteLength;
      if (t.fisherd) t.computes.push((decoded(reply).update!.diagnostics?.computeSeconds ?? 0) * 1000);
    }
  }
  for (const t of targets) t.cpuEnd = processCpuMs(t.pid);
}

function rowOf(t: Target, dim: number, batchSize: number, steps: number, echo?: Target): RoundtripBenchRow {
  const sorted = [...t.latencies].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const compute = t.computes.length > 0 ? quantile([...t.computes].sort((a, b) => a - b), 0.5) : undefined;
  const echoMedian = echo === undefined ? undefined : quantile([...echo.latencies].sort((a, b) => a - b), 0.5);
  const cpu = t.cpuStart === undefined || t.cpuEnd === undefined ? undefined : (t.cpuEnd - t.cpuStart) / steps;
  return {
    case: t.caseName, transport: t.transport, dim, batchSize, steps, requestBytes: t.requestBytes, replyBytes: t.replyBytes,
    medianMs: median, p10Ms: quantile(sorted, 0.1), p90Ms: quantile(sorted, 0.9), mbPerSecond: (t.requestBytes + t.replyBytes) / 1e6 / (median / 1000),
    ...(cpu === undefined ? {} : { serverCpuMs: cpu }),
    ...(compute === undefined ? {} : { computeMs: compute }),
    ...(echoMedian === undefined || !t.fisherd ? {} : { ratio: echoMedian / median, ratioExcludingCompute: echoMedian / Math.max(median - (compute ?? 0), 1e-9) }),
  };
}

type Server = { child: ChildProcess; url: string };

async function stopAll(servers: Server[]): Promise<void> {
  for (const server of servers) {
    if (server.child.exitCode !== null) continue;
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

export async function runRoundtripBench(options: RoundtripBenchOptions = {}): Promise<RoundtripBenchRow[]> {
  const dim = options.dim ?? 100_000;
  const batchSize = options.batchSize ?? 64;
  const steps = options.steps ?? 20;
  const warmup = options.warmup ?? 3;
  const rank = options.rank ?? 16;
  const dataDir = mkdtempSync(join(tmpdir(), 'fisherd-bench-'));
  const grads = Float32Array.from({ length: dim * batchSize }, (_, i) => Math.sin(i * 0.37) * 1e-2);
  const cases: { name: string; config: SessionConfig }[] = [
    { name: 'diagonal efgd', config: { dim, structure: { kind: 'diagonal' }, emaDecay: 0.9, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } } },
    { name: `lowrank r=${rank} efgd`, config: { dim, structure: { kind: 'lowrank', rank }, emaDecay: 0.9, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } } },
  ];
  const serve = (main: string, env: Record<string, string> = {}): Promise<Server> =>
    startChild([main, 'serve', '--port', '0', '--data-dir', dataDir, '--checkpoint-every', '0', '--backend', options.backend ?? 'auto'], ROOT, env);
  const daemons: { transport: string; server: Server }[] = [{ transport: 'fisherd', server: await serve(MAIN) }];
  const servers: Server[] = [daemons[0]!.server];
  const rows: RoundtripBenchRow[] = [];
  try {
    if (wsNativeMasking()) {
      const js = { transport: 'fisherd (WS_NO_BUFFER_UTIL)', server: await serve(MAIN, { WS_NO_BUFFER_UTIL: '1' }) };
      daemons.push(js);
      servers.push(js.server);
    }
    if (options.baselineMain !== undefined) {
      const baseline = { transport: 'fisherd (baseline)', server: await serve(options.baselineMain) };
      daemons.push(baseline);
      servers.push(baseline.server);
    }
    for (const { name, config } of cases) {
      const frameOf = (step: number): Uint8Array =>
        encodeClientMessage({ requestId: step, step: contributionToWire({ step, workerId: 0, batchSize, reduction: 'sum', perExampleGrads: grads }) });
      const targets: Target[] = [];
      let replyBytes = 0;
      for (const { transport, server } of daemons) {
        const client = await RequestWire.open(server.url);
        decoded(await client.roundTrip(encodeClientMessage({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'bench' } })));
        decoded(await client.roundTrip(encodeClientMessage({ openSession: { config: sessionConfigToWire(config) } })));
        for (let step = 1; step <= warmup; step++) replyBytes = (await client.roundTrip(frameOf(step))).byteLength;
        targets.push({ transport, caseName: name, client, pid: server.child.pid, frameOf, next: warmup + 1, fisherd: true, latencies: [], computes: [], requestBytes: 0, replyBytes });
      }
      // The echo answers every frame with one of fisherd's reply size.
      const echo = await startChild(['--input-type=module', '-e', ECHO_SERVER, String(replyBytes)], ROOT);
      try {
        const echoClient = await RequestWire.open(echo.url);
        await echoClient.roundTrip(frameOf(0));
        const echoTarget: Target = { transport: 'ws echo', caseName: name, client: echoClient, pid: echo.child.pid, frameOf, next: 1, fisherd: false, latencies: [], computes: [], requestBytes: 0, replyBytes };
        await alternate([echoTarget, ...targets], steps);
        echoClient.ws.close();
        rows.push(rowOf(echoTarget, dim, batchSize, steps));
        for (const t of targets) rows.push(rowOf(t, dim, batchSize, steps, echoTarget));
      } finally {
        await stopAll([echo]);
      }
      for (const t of targets) t.client.ws.close();
    }
  } finally {
    await stopAll(servers);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export interface StatisticsRoundtripOptions {
  /** D. Default 1 000 000. */
  dim?: number;
  /** b. Default 32. */
  batchSize?: number;
  /** Timed rounds. Default 30 (each round steps rows once: ~1–3 s here; fewer leave the medians at the mercy of a shared machine). */
  steps?: number;
  /** Untimed steps first. Default 2. */
  warmup?: number;
  /** fisherd's backend. Default 'auto'. */
  backend?: string;
}

/** Part 2: rows vs statistics (float32, float16) vs a bare echo of the statistics' bytes (see the module comment). */
export async function runStatisticsRoundtripBench(options: StatisticsRoundtripOptions = {}): Promise<RoundtripBenchRow[]> {
  const dim = options.dim ?? 1_000_000;
  const b = options.batchSize ?? 32;
  const steps = options.steps ?? 30;
  const warmup = options.warmup ?? 2;
  const dataDir = mkdtempSync(join(tmpdir(), 'fisherd-bench-'));
  // Sampled-label rows (K = 1) and their statistics: Σ_n g̃_n as the mean gradient's sum (a client computes
  // it from its data-label rows; here the same rows stand in) and Σ_n g̃_n².
  const rows = Float32Array.from({ length: dim * b }, (_, i) => Math.sin(i * 0.37) * 1e-2 + 1e-3 * Math.cos(i * 0.013));
  const sum = new Float32Array(dim);
  const squares = new Float32Array(dim);
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < dim; j++) {
      const g = rows[n * dim + j]!;
      sum[j] += g;
      squares[j] += g * g;
    }
  }
  const config: SessionConfig = { dim, structure: { kind: 'diagonal' }, emaDecay: 0.95, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } };
  const rowFrame = (step: number): Uint8Array => encodeClientMessage({
    requestId: step,
    step: contributionToWire({ step, workerId: 0, batchSize: b, reduction: 'sum', sampledLabelGrads: { rows, samplesPerExample: 1 }, meanGrad: scaled(sum, 1 / b) }),
  });
  const statisticsFrame = (encoding: StatisticsEncoding) => {
    const contribution = (step: number): StepContribution => ({
      step, workerId: 0, batchSize: b, reduction: 'sum',
      statistics: [{ block: '', kind: 'diagonal', moments: { count: b, sum, sampledLabelSquares: squares, samplesPerExample: 1 } }],
    });
    return (step: number): Uint8Array => encodeClientMessage({ requestId: step, step: contributionToWire(contribution(step), { statisticsEncoding: encoding }) });
  };
  const servers: Server[] = [];
  const out: RoundtripBenchRow[] = [];
  try {
    const targets: Target[] = [];
    // One daemon per fisherd target, so that each server's CPU time per step is its own.
    const fisherdTarget = async (caseName: string, frameOf: (step: number) => Uint8Array): Promise<Target> => {
      const server = await startChild([MAIN, 'serve', '--port', '0', '--data-dir', dataDir, '--checkpoint-every', '0', '--backend', options.backend ?? 'auto'], ROOT);
      servers.push(server);
      const client = await RequestWire.open(server.url);
      decoded(await client.roundTrip(encodeClientMessage({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'bench' } })));
      decoded(await client.roundTrip(encodeClientMessage({ openSession: { config: sessionConfigToWire(config) } })));
      for (let step = 1; step <= warmup; step++) decoded(await client.roundTrip(frameOf(step)));
      return { transport: 'fisherd', caseName, client, pid: server.child.pid, frameOf, next: warmup + 1, fisherd: true, latencies: [], computes: [], requestBytes: 0, replyBytes: 0 };
    };
    const rowsTarget = await fisherdTarget('ngd rows (b sampled-label rows)', rowFrame);
    targets.push(rowsTarget);
    const pairs: { stats: Target; echo: Target }[] = [];
    for (const encoding of ['float32', 'float16'] as const) {
      const frameOf = statisticsFrame(encoding);
      const stats = await fisherdTarget(`ngd statistics ${encoding}`, frameOf);
      // The echo of the same bytes answers with an update-sized frame (D float32 + a few bytes).
      const echoServer = await startChild(['--input-type=module', '-e', ECHO_SERVER, String(4 * dim + 64)], ROOT);
      servers.push(echoServer);
      const echoClient = await RequestWire.open(echoServer.url);
      await echoClient.roundTrip(frameOf(0));
      const echo: Target = { transport: 'ws echo', caseName: `ngd statistics ${encoding}`, client: echoClient, pid: echoServer.child.pid, frameOf, next: 1, fisherd: false, latencies: [], computes: [], requestBytes: 0, replyBytes: 0 };
      targets.push(stats, echo);
      pairs.push({ stats, echo });
    }
    await alternate(targets, steps);
    const rowsRow = rowOf(rowsTarget, dim, b, steps);
    out.push(rowsRow);
    for (const { stats, echo } of pairs) {
      out.push(rowOf(echo, dim, b, steps));
      const row = rowOf(stats, dim, b, steps, echo);
      out.push({ ...row, speedupVsRows: rowsRow.medianMs / row.medianMs });
    }
    for (const t of targets) t.client.ws.close();
  } finally {
    await stopAll(servers);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

function scaled(v: Float32Array, factor: number): Float32Array {
  return v.map((x) => x * factor);
}

function print(rows: RoundtripBenchRow[]): void {
  console.table(rows.map((r) => ({
    case: r.case, transport: r.transport, 'median ms': r.medianMs.toFixed(1), 'p10–p90 ms': `${r.p10Ms.toFixed(1)}–${r.p90Ms.toFixed(1)}`,
    'MB/s': r.mbPerSecond.toFixed(0), 'server cpu ms': r.serverCpuMs?.toFixed(1) ?? '', 'compute ms': r.computeMs?.toFixed(1) ?? '',
    ratio: r.ratio?.toFixed(2) ?? '', 'ratio excl. compute': r.ratioExcludingCompute?.toFixed(2) ?? '', '× rows': r.speedupVsRows?.toFixed(0) ?? '',
  })));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const shrink = Number(flag('shrink') ?? 1);
  const runs = Number(flag('runs') ?? 1);
  const parts = (flag('part') ?? 'rows,statistics').split(',');
  const baselineMain = flag('baseline');
  console.log(`ws native masking (bufferutil) in this process: ${wsNativeMasking()}`);
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`run ${run} of ${runs}`);
    if (parts.includes('rows')) print(await runRoundtripBench({ dim: Math.round(100_000 / shrink), ...(baselineMain === undefined ? {} : { baselineMain }) }));
    if (parts.includes('statistics')) print(await runStatisticsRoundtripBench({ dim: Math.round(1_000_000 / shrink) }));
  }
}
