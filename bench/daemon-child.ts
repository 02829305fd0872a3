/**
 * What the daemon benchmarks share: a fisherd (or echo) server as a child process, a WebSocket with one
 * request in flight at a time, a process's CPU time from /proc, and quantiles.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** The repository root (this file lies in dist/bench/ when it runs). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built `fisherd` command next to this file in dist/. */
export const MAIN = join(ROOT, 'src', 'cli', 'main.js');

/**
 * Starts `node ARGS` (fisherd serve, or a script printing "listening on ws://…") and resolves with the
 * URL it prints once it listens.
 */
export async function startChild(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FISHERD_LOG_LEVEL: 'warn', ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (ws:\/\/[^\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
  return { child, url };
}

/**
 * Whether ws finds its optional native helpers (the \`bufferutil\` package: masking and unmasking in C, vs a
 * JavaScript byte loop) from where ws is installed, and ws does not have them switched off (WS_NO_BUFFER_UTIL).
 */
export function wsNativeMasking(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['WS_NO_BUFFER_UTIL']) return false;
  try {
    const fromWs = createRequire(createRequire(import.meta.url).resolve('ws'));
    fromWs('bufferutil');
    return true;
  } catch {
    return false;
  }
}

/** A WebSocket with one request in flight at a time: send a frame, await the next frame. */
export class RequestWire {
  private waiting: ((frame: Buffer) => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.waiting?.(data));
  }

  static open(url: string): Promise<RequestWire> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
      ws.once('open', () => resolve(new RequestWire(ws)));
      ws.once('error', reject);
    });
  }

  roundTrip(frame: Uint8Array): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.ws.send(frame, { binary: true });
    });
  }
}

/** Clock ticks per second of /proc/PID/stat's times (CLK_TCK, 100 on Linux); undefined off Linux. */
const CLOCK_TICKS = ((): number | undefined => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
})();

/** CPU milliseconds (user + system, all threads) a process has used so far; undefined off Linux. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || CLOCK_TICKS === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** The q-quantile of an ascending array (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
