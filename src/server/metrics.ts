/**
 * The daemon's Prometheus metrics (prom-client), in one registry per daemon so that tests can start
 * several. Units are in the names (`_seconds`, `_bytes_total`); no session ids as labels (unbounded
 * cardinality), only small closed sets (error codes, optimizer kinds, message kinds).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '../errors.js';

export interface DaemonMetrics {
  readonly registry: Registry;
  readonly sessions: Gauge;
  readonly sessionsOpened: Counter<'kind'>;
  readonly connections: Gauge;
  readonly dashboardViewers: Gauge;
  readonly stepsTotal: Counter<'optimizer'>;
  readonly stepDuration: Histogram<'optimizer'>;
  readonly receivedBytes: Counter;
  readonly sentBytes: Counter;
  readonly sharedMemoryBytes: Counter<'direction'>;
  readonly errorsTotal: Counter<'code'>;
  readonly checkpointsTotal: Counter;
  readonly checkpointDuration: Histogram;
  readonly memoryBudget: Gauge;
  readonly memoryReserved: Gauge;
  readonly checkpointFailures: Counter;
  readonly backendInfo: Gauge<'backend' | 'detail'>;
  readonly buildInfo: Gauge<'version' | 'protocol_version' | 'node_version'>;
  countError(code: ErrorCode): void;
}

export function createDaemonMetrics(build: { version: string; protocolVersion: number }): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fisherd_' });
  const registers = [registry];
  const metrics = {
    registry,
    sessions: new Gauge({ name: 'fisherd_sessions', help: 'Sessions held in memory', registers }),
    sessionsOpened: new Counter({
      name: 'fisherd_sessions_opened_total',
      help: 'Sessions brought into memory: created (kind "new") or restored from a checkpoint (kind "resumed")',
      labelNames: ['kind'] as const,
      registers,
    }),
    connections: new Gauge({ name: 'fisherd_connections', help: 'Open WebSocket connections', registers }),
    dashboardViewers: new Gauge({ name: 'fisherd_dashboard_viewers', help: 'Open dashboard pages', registers }),
    stepsTotal: new Counter({ name: 'fisherd_steps_total', help: 'Optimization steps computed', labelNames: ['optimizer'] as const, registers }),
    stepDuration: new Histogram({
      name: 'fisherd_step_duration_seconds',
      help: 'Time from a step being assembled (all workers in) to its update being sent',
      labelNames: ['optimizer'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    receivedBytes: new Counter({ name: 'fisherd_received_bytes_total', help: 'WebSocket frame bytes received', registers }),
    sentBytes: new Counter({ name: 'fisherd_sent_bytes_total', help: 'WebSocket frame bytes sent', registers }),
    sharedMemoryBytes: new Counter({
      name: 'fisherd_shared_memory_bytes_total',
      help: 'Message bytes passed through co-located clients\' shared-memory files (direction "received": requests read, "sent": replies written)',
      labelNames: ['direction'] as const,
      registers,
    }),
    errorsTotal: new Counter({ name: 'fisherd_errors_total', help: 'Error frames sent, by code', labelNames: ['code'] as const, registers }),
    checkpointsTotal: new Counter({ name: 'fisherd_checkpoints_total', help: 'Session checkpoints written', registers }),
    checkpointDuration: new Histogram({
      name: 'fisherd_checkpoint_duration_seconds',
      help: 'Time to encode and durably write one checkpoint',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    memoryBudget: new Gauge({ name: 'fisherd_memory_budget_bytes', help: 'Memory budget of all sessions together (--max-memory)', registers }),
    memoryReserved: new Gauge({
      name: 'fisherd_memory_reserved_bytes',
      help: 'Memory reserved by the sessions in memory, as computed from their configs at open',
      registers,
    }),
    checkpointFailures: new Counter({
      name: 'fisherd_checkpoint_failures_total',
      help: 'Session checkpoint writes that failed (disk full, I/O error); each is retried, and /readyz is 503 while a session\'s latest one failed',
      registers,
    }),
    backendInfo: new Gauge({ name: 'fisherd_backend_info', help: 'Compute backend in use (value 1)', labelNames: ['backend', 'detail'] as const, registers }),
    buildInfo: new Gauge({
      name: 'fisherd_build_info',
      help: 'fisherd build (value 1)',
      labelNames: ['version', 'protocol_version', 'node_version'] as const,
      registers,
    }),
    countError(code: ErrorCode): void {
      metrics.errorsTotal.inc({ code });
    },
  };
  metrics.buildInfo.set({ version: build.version, protocol_version: String(build.protocolVersion), node_version: process.version }, 1);
  return metrics;
}
