/**
 * The daemon's options: one defaults literal, every option documented where it is defined, settable by a
 * CLI flag, a `FISHERD_*` environment variable or a key of a JSON config file (`--config FILE` /
 * `FISHERD_CONFIG`), with precedence flag > env > file > default; validated once at start with a message
 * that names the flag, the variable and, for a value from the file, the file and its key (in the manner
 * of ws's `WebSocketServer` options).
 */
import { DEFAULT_KRONECKER_OFFLOAD_ORDER, DEFAULT_KRONECKER_THREADS } from './kronecker-refresh.js';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { FisherdError } from '../errors.js';
import { parseAllowedOrigins } from './browser-guard.js';
import type { BackendPreference } from '../linalg/select.js';
import { DEFAULT_SESSION_LIMITS, sessionLimits, type SessionLimits } from '../session/limits.js';
import { defaultMaxMemory } from './memory-budget.js';

/** pino's levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** When a recorded trace is forced to disk (docs/trace-format.md, "Durability"). */
export type RecordDurability = 'every-record' | 'periodic' | 'on-close';

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
  /**
   * Largest reply carrying D-length data (estimates with diagonals), in bytes: (tracked estimates + 1) ×
   * coordinates × 8. A larger request is refused with INVALID_CONFIG naming the largest range that fits;
   * clients read a large D in ranges (EstimatesRequest.diagonal_offset/length). Default 64 MiB.
   */
  readonly maxReplyBytes: number;
  /**
   * Memory budget of all sessions together, in bytes: each session's memory is computed from its config
   * when it opens (src/session/limits.ts `sessionMemoryBytes`) and refused when it would not fit (BACKPRESSURE
   * when others hold the rest; INVALID_CONFIG when it exceeds the whole budget). Default: 60% of the
   * machine's memory (the cgroup limit when lower), less 256 MiB for the daemon itself.
   */
  readonly maxMemory: number;
  /** Largest D a session may have. Default 2³⁰ (src/session/limits.ts). */
  readonly maxDim: number;
  /** Most data-parallel workers per session. Default 1024. */
  readonly maxWorkers: number;
  /** Largest rank cap of a 'lowrank' structure (also at most its block's size). Default 4096. */
  readonly maxRank: number;
  /** Most named parameter blocks per session. Default 65536. */
  readonly maxBlocks: number;
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
  /** Log level (pino): fatal, error, warn, info, debug, trace or silent. Default "info". */
  readonly logLevel: LogLevel;
  /** Serve the live dashboard at / (page) and /dashboard/ws (its updates). Default true. */
  readonly dashboard: boolean;
  /** Steps the dashboard keeps per session; longer runs are thinned evenly. Default 2000. */
  readonly dashboardHistory: number;
  /** Least time between two samples of a session's estimates for the dashboard, in ms. Default 2000. */
  readonly dashboardSpectrumMs: number;
  /**
   * Record every session as a trace in `recordDir/SESSION_ID/` (docs/trace-format.md). Default none: only
   * sessions whose config sets `record` are recorded, in `dataDir/traces/SESSION_ID/`.
   */
  readonly recordDir: string | undefined;
  /**
   * When recorded traces are fdatasync'ed: 'every-record' (before each update is sent: a step whose
   * update a client received is on disk), 'periodic' (see recordSyncEvery, recordSyncMs) or 'on-close'.
   * Default "every-record".
   */
  readonly recordDurability: RecordDurability;
  /** periodic: sync once this many records are unsynced; 0 = no record count. Default 100. */
  readonly recordSyncEvery: number;
  /** periodic: sync this many ms after the first unsynced record; 0 = no timer. Default 1000. */
  readonly recordSyncMs: number;
  /**
   * Bytes that may wait unsent for one WebSocket peer (ws `bufferedAmount`) before fisherd stops reading
   * that peer's requests; reading resumes once under half of it. A peer still above it after
   * `sendStallMs`, or above twice it, is closed with 1008 "SEND_BUFFER_FULL". Dashboard pages are dropped
   * above the smaller of this and 8 MiB. Default 64 MiB.
   */
  readonly maxSendBufferBytes: number;
  /** How long a peer may stay above `maxSendBufferBytes` before it is closed (1008 SEND_BUFFER_FULL), in ms. Default 30000. */
  readonly sendStallMs: number;
  /** A WebSocket that has not completed Hello this long after the upgrade is closed (1008 HELLO_TIMEOUT), in ms. Default 10000. */
  readonly helloTimeoutMs: number;
  /**
   * A TCP connection must deliver its complete HTTP request head (an upgrade or a GET) within this many ms
   * of connecting (or of its previous request); a socket that sends nothing, or trickles its headers, is
   * answered 408 and closed (node's headersTimeout and requestTimeout). Default 10000.
   */
  readonly handshakeTimeoutMs: number;
  /** Open WebSocket connections, protocol and dashboard together; one more upgrade is refused with HTTP 503. Default 256. */
  readonly maxConnections: number;
  /**
   * Sessions one connection may hold in memory (created or resumed by it, attached or idle until
   * evicted); one more OpenSession is refused with BACKPRESSURE. Default 8.
   */
  readonly maxSessionsPerConnection: number;
  /**
   * Sessions the connections of one remote address may hold in memory together (the daemon has one
   * token, so "per client" is per address); one more is refused with BACKPRESSURE. Default 32.
   */
  readonly maxSessionsPerAddress: number;
  /**
   * Browser origins (e.g. "https://notebook.example:8888", comma-separated) whose pages may open the
   * protocol WebSocket or the dashboard; any other request carrying an `Origin` header is refused with
   * HTTP 403 (the dashboard's own same-origin page is always allowed). Default none.
   */
  readonly allowedOrigins: string | undefined;
  /**
   * Worker threads that decompose the factors of Kronecker (K-FAC) blocks at their refreshes, so that a
   * large refresh never stalls other sessions (src/server/kronecker-refresh.ts). 0: every refresh runs in
   * its session's step, on the event loop. Default 1.
   */
  readonly kroneckerThreads: number;
  /**
   * A Kronecker refresh goes to those threads when its larger factor's order (out or in') exceeds this;
   * smaller ones run in the step (a thread round trip would cost more). Default 256.
   */
  readonly kroneckerOffloadOrder: number;
  /**
   * Shared-memory payloads for co-located clients (proto SharedMemoryOffer; docs/deploy.md, "Shared
   * memory"): clients on the same machine, or in a sidecar sharing a memory-backed volume, create their
   * payload files in `sharedMemoryDir` and only small control frames cross the WebSocket. Off: every
   * offer is refused with SHARED_MEMORY_UNAVAILABLE and clients send frames. Default true.
   */
  readonly sharedMemory: boolean;
  /**
   * The directory (a tmpfs) where clients create their shared-memory files; the daemon only opens files
   * named "fisherd-…" there, never creates or deletes any. Checked to be a directory at start. Default
   * "/dev/shm" where it exists, else none (shared memory off).
   */
  readonly sharedMemoryDir: string | undefined;
}

/** The default shared-memory directory: /dev/shm where the machine has it. */
export const DEFAULT_SHARED_MEMORY_DIR: string | undefined = existsSync('/dev/shm') ? '/dev/shm' : undefined;

export const DEFAULT_SERVE_OPTIONS: ServeOptions = {
  host: '127.0.0.1',
  port: 7070,
  token: undefined,
  dataDir: './fisherd-data',
  checkpointEvery: 100,
  maxFrameBytes: 256 * 1024 * 1024,
  maxReplyBytes: 64 * 1024 * 1024,
  maxMemory: defaultMaxMemory(),
  maxDim: DEFAULT_SESSION_LIMITS.maxDim,
  maxWorkers: DEFAULT_SESSION_LIMITS.maxWorkers,
  maxRank: DEFAULT_SESSION_LIMITS.maxRank,
  maxBlocks: DEFAULT_SESSION_LIMITS.maxBlocks,
  maxQueuedSteps: 4,
  workerTimeoutMs: 30_000,
  heartbeatMs: 15_000,
  maxSessions: 64,
  sessionIdleMs: 60_000,
  backend: 'auto',
  drainTimeoutMs: 10_000,
  logLevel: 'info',
  dashboard: true,
  dashboardHistory: 2000,
  dashboardSpectrumMs: 2000,
  recordDir: undefined,
  recordDurability: 'every-record',
  recordSyncEvery: 100,
  recordSyncMs: 1000,
  maxSendBufferBytes: 64 * 1024 * 1024,
  sendStallMs: 30_000,
  helloTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  maxConnections: 256,
  maxSessionsPerConnection: 8,
  maxSessionsPerAddress: 32,
  allowedOrigins: undefined,
  kroneckerThreads: DEFAULT_KRONECKER_THREADS,
  kroneckerOffloadOrder: DEFAULT_KRONECKER_OFFLOAD_ORDER,
  sharedMemory: true,
  sharedMemoryDir: DEFAULT_SHARED_MEMORY_DIR,
};

/** Defaults that depend on the machine, as the help and docs/deploy.md describe them. */
export const DEFAULT_DESCRIPTIONS: Partial<Record<keyof ServeOptions, string>> = {
  maxMemory: '60% of memory − 256 MiB',
  sharedMemoryDir: '/dev/shm where it exists, else none',
};

/** How each option is spelled on the command line and in the environment, and how it is parsed. */
export const SERVE_OPTION_SPECS = {
  host: { flag: '--host <host>', env: 'FISHERD_HOST', kind: 'string', help: 'interface to bind' },
  port: { flag: '--port <port>', env: 'FISHERD_PORT', kind: 'integer', min: 0, max: 65535, help: 'TCP port (0 = any free port)' },
  token: { flag: '--token <token>', env: 'FISHERD_TOKEN', kind: 'string', help: 'bearer token clients must send (required beyond loopback)' },
  dataDir: { flag: '--data-dir <dir>', env: 'FISHERD_DATA_DIR', kind: 'string', help: 'directory for session checkpoints' },
  checkpointEvery: { flag: '--checkpoint-every <steps>', env: 'FISHERD_CHECKPOINT_EVERY', kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, help: 'checkpoint every N steps (0 = on close/shutdown only)' },
  maxFrameBytes: { flag: '--max-frame-bytes <bytes>', env: 'FISHERD_MAX_FRAME_BYTES', kind: 'integer', min: 1024, max: 2 ** 31 - 1, help: 'largest accepted frame' },
  maxReplyBytes: { flag: '--max-reply-bytes <bytes>', env: 'FISHERD_MAX_REPLY_BYTES', kind: 'integer', min: 4096, max: 2 ** 31 - 1, help: 'largest estimates reply (diagonals are read in ranges beyond)' },
  maxMemory: { flag: '--max-memory <bytes>', env: 'FISHERD_MAX_MEMORY', kind: 'integer', min: 16 * 1024 * 1024, max: Number.MAX_SAFE_INTEGER, help: 'memory budget of all sessions together (default 60% of the machine, less 256 MiB)' },
  maxDim: { flag: '--max-dim <n>', env: 'FISHERD_MAX_DIM', kind: 'integer', min: 1, max: 2 ** 32 - 1, help: 'largest D of a session' },
  maxWorkers: { flag: '--max-workers <n>', env: 'FISHERD_MAX_WORKERS', kind: 'integer', min: 1, max: 1_000_000, help: 'most data-parallel workers per session' },
  maxRank: { flag: '--max-rank <r>', env: 'FISHERD_MAX_RANK', kind: 'integer', min: 1, max: 1_000_000, help: 'largest rank cap of a lowrank structure' },
  maxBlocks: { flag: '--max-blocks <n>', env: 'FISHERD_MAX_BLOCKS', kind: 'integer', min: 1, max: 10_000_000, help: 'most parameter blocks per session' },
  maxQueuedSteps: { flag: '--max-queued-steps <n>', env: 'FISHERD_MAX_QUEUED_STEPS', kind: 'integer', min: 1, max: 1_000_000, help: 'steps a session may queue before BACKPRESSURE' },
  workerTimeoutMs: { flag: '--worker-timeout-ms <ms>', env: 'FISHERD_WORKER_TIMEOUT_MS', kind: 'integer', min: 1, max: 2 ** 31 - 1, help: 'how long a step waits for missing workers' },
  heartbeatMs: { flag: '--heartbeat-ms <ms>', env: 'FISHERD_HEARTBEAT_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'ping interval (0 = off)' },
  maxSessions: { flag: '--max-sessions <n>', env: 'FISHERD_MAX_SESSIONS', kind: 'integer', min: 1, max: 1_000_000, help: 'sessions held in memory at once' },
  sessionIdleMs: { flag: '--session-idle-ms <ms>', env: 'FISHERD_SESSION_IDLE_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'how long an unattached session stays in memory' },
  backend: { flag: '--backend <name>', env: 'FISHERD_BACKEND', kind: 'enum', values: ['auto', 'reference', 'openblas', 'gpujs'], help: 'compute backend: auto, reference, openblas, gpujs' },
  drainTimeoutMs: { flag: '--drain-timeout-ms <ms>', env: 'FISHERD_DRAIN_TIMEOUT_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'how long shutdown waits for in-flight steps' },
  logLevel: { flag: '--log-level <level>', env: 'FISHERD_LOG_LEVEL', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], help: 'log level: fatal, error, warn, info, debug, trace, silent' },
  dashboard: { flag: '--dashboard <bool>', env: 'FISHERD_DASHBOARD', kind: 'boolean', help: 'serve the live dashboard at / (on or off)' },
  dashboardHistory: { flag: '--dashboard-history <steps>', env: 'FISHERD_DASHBOARD_HISTORY', kind: 'integer', min: 2, max: 1_000_000, help: 'steps the dashboard keeps per session (thinned evenly beyond)' },
  dashboardSpectrumMs: { flag: '--dashboard-spectrum-ms <ms>', env: 'FISHERD_DASHBOARD_SPECTRUM_MS', kind: 'integer', min: 100, max: 2 ** 31 - 1, help: 'least time between two eigenvalue/SNR samples of a session' },
  recordDir: { flag: '--record-dir <dir>', env: 'FISHERD_RECORD_DIR', kind: 'string', help: 'record every session as a trace in DIR/SESSION_ID (none: only sessions that ask, in DATA_DIR/traces)' },
  recordDurability: { flag: '--record-durability <policy>', env: 'FISHERD_RECORD_DURABILITY', kind: 'enum', values: ['every-record', 'periodic', 'on-close'], help: 'when traces are synced to disk: every-record, periodic, on-close' },
  recordSyncEvery: { flag: '--record-sync-every <records>', env: 'FISHERD_RECORD_SYNC_EVERY', kind: 'integer', min: 0, max: 1_000_000_000, help: 'periodic: sync every N records (0 = no count)' },
  recordSyncMs: { flag: '--record-sync-ms <ms>', env: 'FISHERD_RECORD_SYNC_MS', kind: 'integer', min: 0, max: 2 ** 31 - 1, help: 'periodic: sync T ms after the first unsynced record (0 = no timer)' },
  maxSendBufferBytes: { flag: '--max-send-buffer-bytes <bytes>', env: 'FISHERD_MAX_SEND_BUFFER_BYTES', kind: 'integer', min: 65_536, max: 2 ** 31 - 1, help: 'unsent bytes per peer before its requests wait (closed beyond twice it)' },
  sendStallMs: { flag: '--send-stall-ms <ms>', env: 'FISHERD_SEND_STALL_MS', kind: 'integer', min: 1, max: 2 ** 31 - 1, help: 'how long a peer may stay above --max-send-buffer-bytes before it is closed' },
  helloTimeoutMs: { flag: '--hello-timeout-ms <ms>', env: 'FISHERD_HELLO_TIMEOUT_MS', kind: 'integer', min: 1, max: 2 ** 31 - 1, help: 'close a WebSocket that sent no Hello within this' },
  handshakeTimeoutMs: { flag: '--handshake-timeout-ms <ms>', env: 'FISHERD_HANDSHAKE_TIMEOUT_MS', kind: 'integer', min: 10, max: 2 ** 31 - 1, help: 'close a TCP connection that sent no complete HTTP request head within this' },
  maxConnections: { flag: '--max-connections <n>', env: 'FISHERD_MAX_CONNECTIONS', kind: 'integer', min: 1, max: 1_000_000, help: 'open WebSocket connections (protocol and dashboard together)' },
  maxSessionsPerConnection: { flag: '--max-sessions-per-connection <n>', env: 'FISHERD_MAX_SESSIONS_PER_CONNECTION', kind: 'integer', min: 1, max: 1_000_000, help: 'sessions one connection may hold in memory' },
  maxSessionsPerAddress: { flag: '--max-sessions-per-address <n>', env: 'FISHERD_MAX_SESSIONS_PER_ADDRESS', kind: 'integer', min: 1, max: 1_000_000, help: 'sessions the connections of one remote address may hold in memory' },
  allowedOrigins: { flag: '--allowed-origins <origins>', env: 'FISHERD_ALLOWED_ORIGINS', kind: 'string', help: 'comma-separated browser origins allowed to connect (others with an Origin header get 403)' },
  kroneckerThreads: { flag: '--kronecker-threads <n>', env: 'FISHERD_KRONECKER_THREADS', kind: 'integer', min: 0, max: 1024, help: 'threads decomposing large Kronecker factors at refreshes (0 = in the step, on the event loop)' },
  kroneckerOffloadOrder: { flag: '--kronecker-offload-order <n>', env: 'FISHERD_KRONECKER_OFFLOAD_ORDER', kind: 'integer', min: 0, max: 1_000_000, help: 'refreshes of Kronecker factors of larger order go to the threads' },
  sharedMemory: { flag: '--shared-memory <bool>', env: 'FISHERD_SHARED_MEMORY', kind: 'boolean', help: 'accept co-located clients\' payloads through files in --shared-memory-dir (on or off)' },
  sharedMemoryDir: { flag: '--shared-memory-dir <dir>', env: 'FISHERD_SHARED_MEMORY_DIR', kind: 'string', help: 'tmpfs directory where co-located clients create their payload files' },
} as const satisfies Record<keyof ServeOptions, OptionSpec>;

/** The config file option itself (not a ServeOptions field: it says where the others may come from). */
export const CONFIG_FILE_SPEC = {
  flag: '--config <file>', env: 'FISHERD_CONFIG', help: 'JSON file of options keyed by their names, e.g. {"port": 7070, "dataDir": "/data"} (docs/deploy.md)',
} as const;

type OptionSpec =
  | { flag: string; env: string; kind: 'string' | 'boolean'; help: string }
  | { flag: string; env: string; kind: 'enum'; values: readonly string[]; help: string }
  | { flag: string; env: string; kind: 'integer'; min: number; max: number; help: string };

/** Where a raw value came from, for the error message. */
type Source = { kind: 'flag' } | { kind: 'env' } | { kind: 'file'; path: string };

function invalid(name: keyof ServeOptions, message: string, source?: Source): FisherdError {
  const spec = SERVE_OPTION_SPECS[name];
  const where = source?.kind === 'file' ? ` (from "${name}" in ${source.path})` : '';
  return new FisherdError('INVALID_CONFIG', `${spec.flag.split(' ')[0]} / ${spec.env}: ${message}${where}`, { field: name });
}

const TRUE_WORDS = ['true', 'on', 'yes', '1'];
const FALSE_WORDS = ['false', 'off', 'no', '0'];

function parseValue(name: keyof ServeOptions, raw: string, source?: Source): string | number | boolean {
  const spec: OptionSpec = SERVE_OPTION_SPECS[name];
  switch (spec.kind) {
    case 'string':
      if (raw.length === 0) throw invalid(name, 'must not be empty', source);
      return raw;
    case 'enum':
      if (!spec.values.includes(raw)) throw invalid(name, `"${raw}" is not one of ${spec.values.join(', ')}`, source);
      return raw;
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      throw invalid(name, `"${raw}" is not one of on, off (or true, false, yes, no, 1, 0)`, source);
    }
    case 'integer': {
      const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        throw invalid(name, `"${raw}" is not an integer in [${spec.min}, ${spec.max}]`, source);
      }
      return value;
    }
  }
}

function configFileError(path: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${CONFIG_FILE_SPEC.flag.split(' ')[0]} / ${CONFIG_FILE_SPEC.env}: ${path}: ${message}`, { field: 'config' });
}

/**
 * Reads a JSON config file: one object whose keys are option names (`port`, `dataDir`, ...) and whose
 * values are strings, numbers or booleans (validated like the flags). Unknown keys are refused, so that
 * a misspelt option does not silently fall back to its default.
 */
export function readServeConfigFile(path: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Partial<Record<keyof ServeOptions, string>> {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    throw configFileError(path, `cannot read it (${e instanceof Error ? e.message : String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw configFileError(path, `is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw configFileError(path, 'must hold one JSON object of options');
  const known = Object.keys(SERVE_OPTION_SPECS);
  const out: Partial<Record<keyof ServeOptions, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.includes(key)) throw configFileError(path, `unknown option "${key}"; the options are ${known.join(', ')}`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw configFileError(path, `"${key}" must be a string, a number or a boolean`);
    }
    out[key as keyof ServeOptions] = String(value);
  }
  return out;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Shortest accepted token, in bytes (UTF-8). */
export const MIN_TOKEN_BYTES = 16;

/**
 * Why `token` is too weak to guard the daemon, or undefined: it must not be blank, must carry no
 * whitespace (an `Authorization: Bearer` header cannot), and must be at least MIN_TOKEN_BYTES long.
 */
export function weakTokenProblem(token: string): string | undefined {
  if (token.trim().length === 0) return 'the token is empty or only whitespace; use a random string of at least 16 bytes, e.g. `openssl rand -hex 16`';
  if (/\s/.test(token)) return 'the token contains whitespace, which an Authorization: Bearer header cannot carry';
  const bytes = Buffer.byteLength(token, 'utf8');
  if (bytes < MIN_TOKEN_BYTES) return `the token is ${bytes} bytes long; use at least ${MIN_TOKEN_BYTES}, e.g. \`openssl rand -hex 16\``;
  return undefined;
}

/**
 * Resolves the options: for each, the flag's value if given, else the environment variable, else the
 * config file's key (file from `flags.config`, else FISHERD_CONFIG), else the default. Throws
 * INVALID_CONFIG naming the flag and the variable (and the file) on the first bad value or contradiction.
 */
export function resolveServeOptions(
  flags: Partial<Record<keyof ServeOptions | 'config', string | number | boolean | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
  readFile?: (path: string) => string,
): ServeOptions {
  const configPath = flags.config !== undefined ? String(flags.config) : env[CONFIG_FILE_SPEC.env];
  const fromFile = configPath === undefined || configPath === '' ? {} : readServeConfigFile(configPath, readFile);
  const resolved: Record<string, unknown> = { ...DEFAULT_SERVE_OPTIONS };
  for (const name of Object.keys(SERVE_OPTION_SPECS) as (keyof ServeOptions)[]) {
    const fromFlag = flags[name];
    const fromEnv = env[SERVE_OPTION_SPECS[name].env];
    if (fromFlag !== undefined) resolved[name] = parseValue(name, String(fromFlag), { kind: 'flag' });
    else if (fromEnv !== undefined) resolved[name] = parseValue(name, fromEnv, { kind: 'env' });
    else if (fromFile[name] !== undefined) resolved[name] = parseValue(name, fromFile[name], { kind: 'file', path: configPath! });
  }
  const options = resolved as unknown as ServeOptions;
  if (options.token !== undefined) {
    const problem = weakTokenProblem(options.token);
    if (problem !== undefined) throw invalid('token', problem); // names the length, never the token
  }
  const origins = parseAllowedOrigins(options.allowedOrigins);
  if ('bad' in origins) {
    throw invalid('allowedOrigins', `${JSON.stringify(origins.bad)} is not a web origin; list origins such as https://lab.example:8888, comma-separated, without paths`);
  }
  if (!isLoopback(options.host) && options.token === undefined) {
    throw invalid('token', `binding to ${options.host} (beyond loopback) requires a bearer token`);
  }
  if (options.recordDurability === 'periodic' && options.recordSyncEvery === 0 && options.recordSyncMs === 0) {
    throw invalid('recordDurability', 'periodic needs --record-sync-every or --record-sync-ms above 0');
  }
  return options;
}

/** The session limits the daemon admits configs with (src/session/limits.ts), from its options. */
export function sessionLimitsOf(options: ServeOptions): SessionLimits {
  return sessionLimits({ maxDim: options.maxDim, maxWorkers: options.maxWorkers, maxRank: options.maxRank, maxBlocks: options.maxBlocks });
}
