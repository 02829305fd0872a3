/**
 * Kronecker refreshes off the event loop: the eigendecompositions of a K-FAC block's factors
 * (`decomposeKroneckerFactors`, O(out³ + in'³)) computed in worker threads, so that while one session's
 * refresh runs, the daemon's event loop keeps serving every other session and connection.
 *
 * The contract with the session (src/session/session.ts `refreshJobsFor`, `step(…, precomputed)`): a step
 * whose factor update makes a refresh due is first turned into refresh jobs — exactly the bias-corrected
 * factors after that step's update, computed without changing the session — which the threads decompose
 * on a backend of the session's kind; then the step runs on the main thread and installs those
 * decompositions instead of computing them. So the refresh due at step t uses the factors after step t
 * and step t's update already uses it, exactly as a session that decomposes synchronously (the library's
 * T_inv schedule), bit for bit on backends whose eigh is deterministic (reference; openblas with a fixed
 * thread count). Only the session whose step waits is delayed: its job queue (session-host.ts) waits for
 * the threads, nothing else does. Small factors (order ≤ `minOrder`) are decomposed in the step itself,
 * where a thread round trip would cost more than the decomposition.
 *
 * The threads start on the first job (none for daemons that never see a large Kronecker block) and each
 * keeps one backend instance per kind. Without a compiled worker script next to this module (fisherd run
 * from its TypeScript sources, e.g. under vitest) the pool is absent and every refresh runs in the step.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KroneckerDecomposition, KroneckerRefreshJob } from '../curvature/kronecker-decomposition.js';
import type { Logger } from '../log.js';

/** A job for a thread: the factors, and the backend kind to decompose them on. */
export interface RefreshRequest {
  id: number;
  backend: string;
  job: KroneckerRefreshJob;
}

/** A thread's answer. */
export type RefreshReply = { id: number; kind: 'done'; decomposition: KroneckerDecomposition } | { id: number; kind: 'failed'; message: string };

const WORKER_SCRIPT = fileURLToPath(new URL('./kronecker-refresh-worker.js', import.meta.url));

/** Default of `--kronecker-offload-order`: factors of a larger order are decomposed in a thread. */
export const DEFAULT_KRONECKER_OFFLOAD_ORDER = 256;
/** Default of `--kronecker-threads`. */
export const DEFAULT_KRONECKER_THREADS = 1;

export class KroneckerRefreshPool {
  private workers: Worker[] | undefined;
  private readonly pending = new Map<number, { resolve: (d: KroneckerDecomposition) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;

  private constructor(private readonly threads: number, readonly minOrder: number, private readonly log: Logger) {}

  /**
   * A pool of `threads` threads (started on first use) for factors of order > `minOrder`, or undefined
   * (logged) when there is no compiled worker script or `threads` is 0.
   */
  static open(threads: number, minOrder: number, log: Logger): KroneckerRefreshPool | undefined {
    if (threads <= 0) return undefined;
    if (!existsSync(WORKER_SCRIPT)) {
      log.debug({ script: WORKER_SCRIPT }, 'no compiled Kronecker refresh worker (running from sources?): refreshes run in the step');
      return undefined;
    }
    return new KroneckerRefreshPool(threads, minOrder, log);
  }

  /** Whether a job is worth a thread: its larger factor's order exceeds `minOrder`. */
  offloads(job: KroneckerRefreshJob): boolean {
    return Math.max(job.outputs, job.inputOrder) > this.minOrder;
  }

  /** Decomposes `job` on a thread with a backend of kind `backend` (jobs of one session: await them together). */
  decompose(job: KroneckerRefreshJob, backend: string): Promise<KroneckerDecomposition> {
    if (this.closed) return Promise.reject(new Error('the Kronecker refresh pool is closed'));
    const workers = (this.workers ??= this.start());
    const id = this.nextId++;
    return new Promise<KroneckerDecomposition>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The job's arrays are copies made for it: transferred, not copied again.
      workers[id % workers.length]!.postMessage({ id, backend, job } satisfies RefreshRequest, [job.inputFactor.buffer as ArrayBuffer, job.outputGradFactor.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker[] {
    this.log.info({ threads: this.threads, minOrder: this.minOrder }, 'starting Kronecker refresh threads');
    return Array.from({ length: this.threads }, () => {
      const worker = new Worker(WORKER_SCRIPT);
      worker.on('message', (reply: RefreshReply) => {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.kind === 'done') waiter?.resolve(reply.decomposition);
        else waiter?.reject(new Error(reply.message));
      });
      worker.on('error', (e) => this.failAll(e));
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`a Kronecker refresh thread exited with code ${code}`));
      });
      worker.unref();
      return worker;
    });
  }

  private failAll(e: Error): void {
    this.log.error({ err: e }, 'a Kronecker refresh thread failed; its sessions refresh in their steps');
    for (const waiter of this.pending.values()) waiter.reject(e);
    this.pending.clear();
    const workers = this.workers;
    this.workers = undefined; // started again on the next job
    for (const w of workers ?? []) void w.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.terminate()));
    for (const waiter of this.pending.values()) waiter.reject(new Error('the Kronecker refresh pool is closed'));
    this.pending.clear();
  }
}
