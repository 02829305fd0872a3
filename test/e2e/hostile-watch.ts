/**
 * For the hostile-client tests (issue "one small frame must never freeze the daemon"): while a hostile
 * case runs, polls the daemon's `/livez` and its process RSS, so that a test can assert that the daemon
 * answered within a bound throughout and that its memory stayed under a stated bound.
 *
 *   const watch = watchDaemon(daemon);
 *   ... hostile case ...
 *   const seen = await watch.stop();
 *   expect(seen.worstLivezMs).toBeLessThan(1000);
 *   expect(seen.peakRssBytes).toBeLessThan(bound);
 */
import { readFileSync } from 'node:fs';
import type { RunningDaemon } from './daemon-harness.js';

export interface WatchResult {
  /** Longest time one `/livez` request took (a request that failed or timed out counts as `timeoutMs`). */
  readonly worstLivezMs: number;
  /** How many `/livez` requests did not answer 200 within `timeoutMs`. */
  readonly livezFailures: number;
  /** Requests made. */
  readonly probes: number;
  /** Largest resident set size of the daemon process seen, in bytes (from /proc/PID/status VmRSS). */
  readonly peakRssBytes: number;
  /** RSS when the watch started, in bytes. */
  readonly startRssBytes: number;
}

/** The resident set size of process `pid` in bytes, or 0 when /proc cannot tell. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function probe(http: string, timeoutMs: number): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${http}/livez`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return { ok: res.status === 200, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: timeoutMs };
  }
}

/**
 * Starts polling `daemon`: a `/livez` request every `intervalMs` (one at a time; a slow answer delays the
 * next) and its RSS every `intervalMs`. `stop()` ends the polling and returns what was seen.
 */
export function watchDaemon(daemon: RunningDaemon, options: { intervalMs?: number; timeoutMs?: number } = {}): { stop(): Promise<WatchResult> } {
  const intervalMs = options.intervalMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 5000;
  const pid = daemon.process.pid ?? 0;
  const startRssBytes = rssOf(pid);
  let peakRssBytes = startRssBytes;
  let worstLivezMs = 0;
  let livezFailures = 0;
  let probes = 0;
  let running = true;
  const rssTimer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, rssOf(pid));
  }, Math.max(10, Math.floor(intervalMs / 2)));
  const loop = (async () => {
    while (running) {
      const { ok, ms } = await probe(daemon.http, timeoutMs);
      probes++;
      worstLivezMs = Math.max(worstLivezMs, ms);
      if (!ok) livezFailures++;
      if (running) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop(): Promise<WatchResult> {
      running = false;
      await loop;
      clearInterval(rssTimer);
      peakRssBytes = Math.max(peakRssBytes, rssOf(pid));
      return { worstLivezMs, livezFailures, probes, peakRssBytes, startRssBytes };
    },
  };
}
