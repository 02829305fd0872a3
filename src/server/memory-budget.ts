/**
 * The daemon-wide memory budget of its sessions (`--max-memory`). A session reserves, when it opens or
 * resumes, the bytes `sessionMemoryBytes` computes from its config (src/session/limits.ts) and releases
 * them when it leaves memory. A reservation that does not fit is refused with a typed error that names the
 * config field weighing most and the numbers: INVALID_CONFIG when the session alone exceeds the whole
 * budget (it can never open here), BACKPRESSURE when the other sessions hold the rest (it may later).
 * `/metrics` shows the budget and what is reserved (fisherd_memory_budget_bytes,
 * fisherd_memory_reserved_bytes).
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { FisherdError } from '../errors.js';
import { formatBytes, type SessionMemory } from '../session/limits.js';

/** What the daemon keeps for itself (code, buffers, sockets) out of the default budget. */
const DAEMON_OWN_BYTES = 256 * 1024 * 1024;

/** The memory this process may use: the machine's, or the cgroup (v2 or v1) limit when lower. */
export function machineMemoryBytes(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number {
  let limit = totalmem();
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const value = Number(read(path).trim());
      if (Number.isSafeInteger(value) && value > 0) limit = Math.min(limit, value);
    } catch {
      // no such controller here
    }
  }
  return limit;
}

/** The default `--max-memory`: 60% of the machine's (or cgroup's) memory, less 256 MiB, at least 64 MiB. */
export function defaultMaxMemory(machine: number = machineMemoryBytes()): number {
  return Math.max(64 * 1024 * 1024, Math.floor(machine * 0.6) - DAEMON_OWN_BYTES);
}

export class MemoryBudget {
  private readonly held = new Map<string, number>();
  private total = 0;

  /** @param budget bytes all reservations together may hold. */
  constructor(
    readonly budget: number,
    private readonly onChange: (reserved: number) => void = () => {},
  ) {}

  /** Bytes reserved now. */
  get reserved(): number {
    return this.total;
  }

  /**
   * Reserves `memory.bytes` for `id` (replacing what `id` held), or throws (module comment) leaving the
   * reservations as they were.
   */
  reserve(id: string, memory: SessionMemory): void {
    const previous = this.held.get(id) ?? 0;
    const others = this.total - previous;
    if (memory.bytes > this.budget || others + memory.bytes > this.budget) {
      const largest = memory.parts[0];
      const why = largest === undefined ? '' : ` (most of it ${largest.field}: ${largest.what}, ${formatBytes(largest.bytes)})`;
      const alone = memory.bytes > this.budget;
      throw new FisherdError(
        alone ? 'INVALID_CONFIG' : 'BACKPRESSURE',
        alone
          ? `this session needs ${formatBytes(memory.bytes)} = ${memory.bytes} bytes${why}, more than the daemon's whole memory budget of ${formatBytes(this.budget)} (--max-memory); use a smaller structure or split the parameters`
          : `this session needs ${formatBytes(memory.bytes)} = ${memory.bytes} bytes${why}, but only ${formatBytes(Math.max(0, this.budget - others))} of the daemon's memory budget of ${formatBytes(this.budget)} (--max-memory) is free; try again when other sessions have closed`,
        { field: largest?.field ?? 'dim' },
      );
    }
    this.held.set(id, memory.bytes);
    this.total = others + memory.bytes;
    this.onChange(this.total);
  }

  /** Releases what `id` holds (nothing when it holds nothing). */
  release(id: string): void {
    const bytes = this.held.get(id);
    if (bytes === undefined) return;
    this.held.delete(id);
    this.total -= bytes;
    this.onChange(this.total);
  }
}
