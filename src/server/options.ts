/**
 * The daemon's options: one defaults literal, every option documented where it is defined, settable by a
 * CLI flag or a `FISHERD_*` environment variable (flag > env > default), validated once at start with a
 * message that names the flag and the variable (in the manner of ws's `WebSocketServer` options).
 */
import { isIP } from 'node:net';
import { FisherdError } from '../errors.js';
import type { BackendPreference } from '../linalg/select.js';

export interface ServeOptions {
  /** Interface to bind. Default "127.0.0.1". Anything but loopback requires `token`. */
  readonly host: string;
  /** TCP port for WebSocket and HTTP (one port). Default 7070; 0 picks a free port. */
  readonly port: number;
  /** Bearer token required on the WebSocket upgrade. Default none (allowed on loopback only). Never logged. */
  readonly token: string | undefined;
  /** Where session checkpoints live. Default "./fisherd-data". */
  readonly dataDir: string;
  /** Checkpoint a session every this many steps (and always on close and shutdown); 0 = only then. Default 100. */
  readonly checkpointEvery: number;
  /** Largest accepted frame in bytes (ws maxPayload); larger frames get FRAME_TOO_LARGE. Default 256 MiB. */
  readonly maxFrameBytes: number;
  /** Assembled steps a session may hold waiting for compute before BACKPRESSURE. Default 4. */
  readonly maxQueuedSteps: number;
  /** How long the contributions of a step wait for the missing workers, in ms. Default 30000. */
  readonly workerTimeoutMs: number;
  /** Ping interval in ms; a peer that has not answered the previous ping is dropped. 0 disables. Default 15000. */
  readonly heartbeatMs: number;
  /** Most sessions held in memory at once; opening one more is refused with BACKPRESSURE. Default 64. */
  readonly maxSessions: number;
  /** How long a session with no connection stays in memory (it is checkpointed at once), in ms. Default 60000. */
  readonly sessionIdleMs: number;
  /** Compute backend: auto, reference, openblas or gpujs. Default "auto". */
  readonly backend: BackendPreference;
  /** How long shutdown waits for in-flight steps before closing anyway, in ms. Default 10000. */
  readonly drainTimeoutMs: number;
}

export const DEFAULT_SERVE_OPTIONS: ServeOptions = {
  host: '127.0.0.1',
  port: 7070,
  token: undefined,
  dataDir: './fisherd-data',
  checkpointEvery: 100,
  maxFrameBytes: 256 * 1024 * 1024,
  maxQueuedSteps: 4,
  workerTimeoutMs: 30_000,
  heartbeatMs: 15_000,
  maxSessions: 64,
  sessionIdleMs: 60_000,
  backend: 'auto',
  drainTimeoutMs: 10_000,
};

/** How each option is spelled on the command line and in the environment, and how it is parsed. */
export const SERVE_OPTION_SPECS = {
  host: { flag: '--host <host>', env: 'FISHERD_HOST', kind: 'string', help: 'interface to bind' },
  port: { flag: '--port <port>', env: 'FISHERD_PORT', kind: 'integer', min: 0, max: 65535, help: 'TCP port (0 = any free port)' },
  token: { flag: '--token <token>', env: 'FISHERD_TOKEN', kind: 'string', help: 'bearer token clients must send (required beyond loopback)' },
  dataDir: { flag: '--data-dir <dir>', env: 'FISHERD_DATA_DIR', kind: 'string', help: 'directory for session checkpoints' },
  checkpointEvery: { flag: '--checkpoint-every <steps>', env: 'FISHERD_CHECKPOINT_EVERY', kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, help: 'checkpoint every N steps (0 = on close/shutdown only)' },
  maxFrameBytes: { flag: '--max-frame-bytes <bytes>', env: 'FISHERD_MAX_FRAME_BYTES', kind: 'integer', min: 1024, max: 2 ** 31 - 1, help: 'largest accepted frame' },
  maxQueuedSteps: { flag: '--max-queued-steps <n>', env: 'FISHERD_MAX_QUEUED_STEPS', kind: 'integer', min: 1, max: 1_000_000, help: 'steps a session may queue before BACKPRESSURE' },
  workerTimeoutMs: { flag: '--worker-timeout-ms <ms>', env: 'FISHERD_WORKER_TIMEOUT_MS', kind: 'integer', min: 1, max: 2 ** 31 - 1, help: 'how long a step waits for missing workers' },
  heartbeatMs: { flag: '--heartbeat-ms <ms>', env: 'FISHERD_HEARTBEAT_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'ping interval (0 = off)' },
  maxSessions: { flag: '--max-sessions <n>', env: 'FISHERD_MAX_SESSIONS', kind: 'integer', min: 1, max: 1_000_000, help: 'sessions held in memory at once' },
  sessionIdleMs: { flag: '--session-idle-ms <ms>', env: 'FISHERD_SESSION_IDLE_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'how long an unattached session stays in memory' },
  backend: { flag: '--backend <name>', env: 'FISHERD_BACKEND', kind: 'backend', help: 'compute backend: auto, reference, openblas, gpujs' },
  drainTimeoutMs: { flag: '--drain-timeout-ms <ms>', env: 'FISHERD_DRAIN_TIMEOUT_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'how long shutdown waits for in-flight steps' },
} as const satisfies Record<keyof ServeOptions, OptionSpec>;

type OptionSpec =
  | { flag: string; env: string; kind: 'string' | 'backend'; help: string }
  | { flag: string; env: string; kind: 'integer'; min: number; max: number; help: string };

const BACKENDS = ['auto', 'reference', 'openblas', 'gpujs'];

function invalid(name: keyof ServeOptions, message: string): FisherdError {
  const spec = SERVE_OPTION_SPECS[name];
  return new FisherdError('INVALID_CONFIG', `${spec.flag.split(' ')[0]} / ${spec.env}: ${message}`, { field: name });
}

function parseValue(name: keyof ServeOptions, raw: string): string | number {
  const spec: OptionSpec = SERVE_OPTION_SPECS[name];
  switch (spec.kind) {
    case 'string':
      if (raw.length === 0) throw invalid(name, 'must not be empty');
      return raw;
    case 'backend':
      if (!BACKENDS.includes(raw)) throw invalid(name, `"${raw}" is not one of ${BACKENDS.join(', ')}`);
      return raw;
    case 'integer': {
      const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        throw invalid(name, `"${raw}" is not an integer in [${spec.min}, ${spec.max}]`);
      }
      return value;
    }
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * Resolves the options: for each, the flag's value if given, else the environment variable, else the
 * default. Throws INVALID_CONFIG naming the flag and the variable on the first bad value or contradiction.
 */
export function resolveServeOptions(
  flags: Partial<Record<keyof ServeOptions, string | number | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  const resolved: Record<string, unknown> = { ...DEFAULT_SERVE_OPTIONS };
  for (const name of Object.keys(SERVE_OPTION_SPECS) as (keyof ServeOptions)[]) {
    const fromFlag = flags[name];
    const raw = fromFlag !== undefined ? String(fromFlag) : env[SERVE_OPTION_SPECS[name].env];
    if (raw !== undefined) resolved[name] = parseValue(name, raw);
  }
  const options = resolved as unknown as ServeOptions;
  if (!isLoopback(options.host) && options.token === undefined) {
    throw invalid('token', `binding to ${options.host} (beyond loopback) requires a bearer token`);
  }
  return options;
}
