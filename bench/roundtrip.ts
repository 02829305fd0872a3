/**
 * Step round trip through the daemon against a bare WebSocket echo, in the same run.
 *
 * One step = one StepContribution frame (D float32 per-example gradients × b rows, D = 1e5, b = 64:
 * 25.6 MB) sent over loopback, answered by one Update frame (D float32). Two servers run as child
 * processes of this one (so server and client do not share an event loop):
 *   - fisherd (`serve --port 0`), a session with an EFGD optimizer on a diagonal or a low-rank
 *     empirical Fisher;
 *   - a bare `ws` server that answers every frame with a pre-built frame of the size of fisherd's reply
 *     (no decoding, no compute): the transport's floor for the same bytes in and out.
 * Steps are sequential (send, await the reply), as in a training loop, alternating between the two
 * servers step by step so that both see the same load. Per case: median and p90 latency,
 * MB/s of request + reply bytes, the session's own compute (fisherd's `computeSeconds` diagnostic), and
 * two ratios: echo latency / fisherd latency (everything), and echo latency / (fisherd latency − compute)
 * (protocol and session overhead only; the target is ≥ 0.8).
 *
 * Server CPU: each server's CPU time (user + system, all threads, from /proc/PID/stat; Linux only) over
 * the timed steps, per step. Unlike latency it hardly depends on what else runs on the machine, so it
 * shows the daemon's own per-step work (decode, copies, checks, compute, page faults, GC) even when
 * latencies drift.
 *
 * A/B: with `baselineMain` (CLI `--baseline=PATH/dist/src/cli/main.js`, another build of fisherd) a third
 * server joins the alternation, so that two versions of the daemon are compared under the same load
 * (this machine is shared and its latencies drift by 2× between runs); its rows are "fisherd (baseline)".
 *
 * Run: `npm run build && node dist/bench/roundtrip.js [--runs=N] [--baseline=…]`, or call
 * `runRoundtripBench()` (bench/run.ts does).
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MAIN, ROOT, RequestWire, processCpuMs, quantile, startChild } from './daemon-child.js';
import { sessionConfigToWire } from '../src/protocol/config-codec.js';
import { decodeServerMessage, encodeClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../src/protocol/frames.js';
import { contributionToWire } from '../src/protocol/step-codec.js';
import type { SessionConfig } from '../src/session/config.js';

export interface RoundtripBenchRow {
  /** e.g. "diagonal efgd", "lowrank r=16 efgd". */
  case: string;
  /** "fisherd" or "ws echo". */
  transport: string;
  dim: number;
  batchSize: number;
  steps: number;
  requestBytes: number;
  replyBytes: number;
  medianMs: number;
  p90Ms: number;
  /** (request + reply bytes) / median latency, MB = 10⁶ bytes. */
  mbPerSecond: number;
  /** The server's CPU time (user + system) per timed step; undefined where /proc is not available. */
  serverCpuMs?: number;
  /** fisherd rows: median of the session's compute per step. */
  computeMs?: number;
  /** fisherd rows: echo median / fisherd median. */
  ratio?: number;
  /** fisherd rows: echo median / (fisherd median − compute median): protocol and session overhead only. */
  ratioExcludingCompute?: number;
}

export interface RoundtripBenchOptions {
  /** D. Default 100 000. */
  dim?: number;
  /** b, per-example rows per step. Default 64. */
  batchSize?: number;
  /** Timed steps per case (after `warmup`). Default 20. */
  steps?: number;
  /** Untimed steps first. Default 3. */
  warmup?: number;
  /** Rank cap of the low-rank case. Default 16. */
  rank?: number;
  /** fisherd's backend. Default 'auto'. */
  backend?: string;
  /** main.js of another fisherd build to compare against in the same alternation (A/B). Default none. */
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

const perStep = (start: number | undefined, end: number | undefined, steps: number): number | undefined =>
  start === undefined || end === undefined ? undefined : (end - start) / steps;

function decoded(frame: Buffer): ServerMessage {
  const message = decodeServerMessage(frame);
  if (message.kind === 'error') throw new Error(`fisherd error: ${message.error!.message}`);
  return message;
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

  const serve = (main: string): Promise<{ child: ChildProcess; url: string }> =>
    startChild([main, 'serve', '--port', '0', '--data-dir', dataDir, '--checkpoint-every', '0', '--backend', options.backend ?? 'auto'], ROOT);
  const daemons = [{ transport: 'fisherd', server: await serve(MAIN) }];
  const rows: RoundtripBenchRow[] = [];
  try {
    if (options.baselineMain !== undefined) daemons.push({ transport: 'fisherd (baseline)', server: await serve(options.baselineMain) });
    for (const { name, config } of cases) {
      const frameOf = (step: number): Uint8Array =>
        encodeClientMessage({ requestId: step, step: contributionToWire({ step, workerId: 0, batchSize, reduction: 'sum', perExampleGrads: grads }) });
      // Open a session on each daemon; warm-up steps, which also give the size of fisherd's reply frame.
      const clients: RequestWire[] = [];
      let replyBytes = 0;
      for (const { server } of daemons) {
        const client = await RequestWire.open(server.url);
        decoded(await client.roundTrip(encodeClientMessage({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'bench' } })));
        decoded(await client.roundTrip(encodeClientMessage({ openSession: { config: sessionConfigToWire(config) } })));
        for (let step = 1; step <= warmup; step++) replyBytes = (await client.roundTrip(frameOf(step))).byteLength;
        clients.push(client);
      }
      // The echo answers every frame with one of fisherd's reply size. The transports alternate step
      // by step, so that all see the same load on this shared machine.
      const echo = await startChild(['--input-type=module', '-e', ECHO_SERVER, String(replyBytes)], ROOT);
      const latencies = daemons.map((): number[] => []);
      const computes = daemons.map((): number[] => []);
      const echoLatencies: number[] = [];
      let requestBytes = 0;
      let cpuStart: (number | undefined)[] = [];
      let cpuEnd: (number | undefined)[] = [];
      try {
        const echoClient = await RequestWire.open(echo.url);
        await echoClient.roundTrip(frameOf(0));
        cpuStart = [...daemons.map((d) => processCpuMs(d.server.child.pid)), processCpuMs(echo.child.pid)];
        for (let timed = 0, step = warmup + 1; timed < steps; timed++, step++) {
          const frame = frameOf(step);
          requestBytes = frame.byteLength;
          for (let d = 0; d < clients.length; d++) {
            const started = performance.now();
            const reply = await clients[d]!.roundTrip(frame);
            latencies[d]!.push(performance.now() - started);
            computes[d]!.push((decoded(reply).update!.diagnostics?.computeSeconds ?? 0) * 1000);
          }
          const started = performance.now();
          await echoClient.roundTrip(frame);
          echoLatencies.push(performance.now() - started);
        }
        cpuEnd = [...daemons.map((d) => processCpuMs(d.server.child.pid)), processCpuMs(echo.child.pid)];
        echoClient.ws.close();
      } finally {
        echo.child.kill('SIGTERM');
      }
      for (const client of clients) client.ws.close();

      const sortedE = [...echoLatencies].sort((a, b) => a - b);
      const eMedian = quantile(sortedE, 0.5);
      const mb = (requestBytes + replyBytes) / 1e6;
      const common = { case: name, dim, batchSize, steps, requestBytes, replyBytes };
      const cpu = (i: number): { serverCpuMs?: number } => {
        const ms = perStep(cpuStart[i], cpuEnd[i], steps);
        return ms === undefined ? {} : { serverCpuMs: ms };
      };
      rows.push({
        ...common, transport: 'ws echo', medianMs: eMedian, p90Ms: quantile(sortedE, 0.9), mbPerSecond: mb / (eMedian / 1000), ...cpu(daemons.length),
      });
      daemons.forEach(({ transport }, d) => {
        const sortedF = [...latencies[d]!].sort((a, b) => a - b);
        const compute = quantile([...computes[d]!].sort((a, b) => a - b), 0.5);
        const fMedian = quantile(sortedF, 0.5);
        rows.push({
          ...common, transport, medianMs: fMedian, p90Ms: quantile(sortedF, 0.9), mbPerSecond: mb / (fMedian / 1000), ...cpu(d),
          computeMs: compute, ratio: eMedian / fMedian, ratioExcludingCompute: eMedian / Math.max(fMedian - compute, 1e-9),
        });
      });
    }
  } finally {
    for (const { server } of daemons) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const shrink = Number(flag('shrink') ?? 1);
  const runs = Number(flag('runs') ?? 1);
  const baselineMain = flag('baseline');
  for (let run = 1; run <= runs; run++) {
    const rows = await runRoundtripBench({ dim: Math.round(100_000 / shrink), ...(baselineMain === undefined ? {} : { baselineMain }) });
    if (runs > 1) console.log(`run ${run} of ${runs}`);
    console.table(rows.map((r) => ({
      case: r.case, transport: r.transport, 'median ms': r.medianMs.toFixed(1), 'p90 ms': r.p90Ms.toFixed(1), 'MB/s': r.mbPerSecond.toFixed(0),
      'server cpu ms': r.serverCpuMs?.toFixed(1) ?? '', 'compute ms': r.computeMs?.toFixed(1) ?? '', ratio: r.ratio?.toFixed(2) ?? '', 'ratio excl. compute': r.ratioExcludingCompute?.toFixed(2) ?? '',
    })));
  }
}
