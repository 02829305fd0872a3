/**
 * One catalogue of fisherd's errors, with stable codes (in the manner of fastify's FST_ERR_* and ws's
 * WS_ERR_*). Every layer throws `FisherdError` with one of these codes; the daemon maps the code to the
 * protocol's error frame (`ErrorCode` in proto/fisherd.proto) and, where the connection must end, to a
 * WebSocket close code. Messages name the offending field so that a client knows what to fix.
 */

export const ERROR_CODES = {
  // ---- input to the library (linalg, curvature, optim, session) ----
  /** An array's length does not match the declared shape (e.g. rows.length !== count·dim). */
  SHAPE_MISMATCH: { wire: 'SHAPE_MISMATCH', close: undefined },
  /** A NaN or ±Inf value in a payload. */
  NON_FINITE: { wire: 'NON_FINITE', close: undefined },
  /** A configuration value out of its domain (negative damping, rank cap < 1, decay ∉ [0,1), ...). */
  INVALID_CONFIG: { wire: 'INVALID_CONFIG', close: undefined },
  /** A named parameter block that the session does not have. */
  UNKNOWN_BLOCK: { wire: 'UNKNOWN_BLOCK', close: undefined },
  /** A quantity was asked for that the session does not track (e.g. the Fisher with no sampled labels). */
  MISSING_INPUT: { wire: 'MISSING_INPUT', close: undefined },
  /** A damped matrix that is not numerically positive definite (λ too small for a singular estimate). */
  NOT_POSITIVE_DEFINITE: { wire: 'NOT_POSITIVE_DEFINITE', close: undefined },

  // ---- protocol and sessions ----
  /** A frame that does not decode as a protobuf ClientMessage. */
  MALFORMED_FRAME: { wire: 'MALFORMED_FRAME', close: undefined },
  /** A well-formed message of a kind the daemon does not know, or one sent in the wrong state. */
  UNEXPECTED_MESSAGE: { wire: 'UNEXPECTED_MESSAGE', close: undefined },
  /** The client speaks a protocol version this daemon does not. */
  UNSUPPORTED_VERSION: { wire: 'UNSUPPORTED_VERSION', close: 1002 },
  /** Missing or wrong bearer token. */
  UNAUTHORIZED: { wire: 'UNAUTHORIZED', close: 1008 },
  /** A frame larger than the configured limit. */
  FRAME_TOO_LARGE: { wire: 'FRAME_TOO_LARGE', close: 1009 },
  /** A session id the daemon does not know. */
  UNKNOWN_SESSION: { wire: 'UNKNOWN_SESSION', close: undefined },
  /** A step index that is not the next one (out of order or repeated). */
  STEP_OUT_OF_ORDER: { wire: 'STEP_OUT_OF_ORDER', close: undefined },
  /** A second contribution of the same worker to the same step, or a worker id ≥ the worker count. */
  BAD_WORKER: { wire: 'BAD_WORKER', close: undefined },
  /** A worker did not contribute to a step in time; the step is abandoned for all workers. */
  WORKER_TIMEOUT: { wire: 'WORKER_TIMEOUT', close: undefined },
  /** The session's queue is full: the client sends faster than fisherd computes. */
  BACKPRESSURE: { wire: 'BACKPRESSURE', close: undefined },
  /** The daemon is shutting down and accepts no new work. */
  SHUTTING_DOWN: { wire: 'SHUTTING_DOWN', close: 1001 },

  // ---- traces ----
  /** A trace record whose CRC does not match, or a torn record. */
  TRACE_CORRUPT: { wire: 'TRACE_CORRUPT', close: undefined },
  /** A trace of a format version this fisherd cannot read. */
  TRACE_VERSION: { wire: 'TRACE_VERSION', close: undefined },
  /** Recording a session's trace failed (disk full, I/O error); the session goes on without recording. */
  RECORDING_FAILED: { wire: 'RECORDING_FAILED', close: undefined },

  // ---- durability ----
  /**
   * Writing a session's checkpoint failed (disk full, I/O error): the session goes on in memory, but a
   * restart resumes it from the older checkpoint on disk, whose step the error's `step` carries.
   */
  CHECKPOINT_FAILED: { wire: 'CHECKPOINT_FAILED', close: undefined },

  // ---- shared memory ----
  /**
   * A SharedMemoryOffer the daemon cannot take (shared memory off, a bad file name, a file it cannot open or
   * that is not a regular file of its user, a nonce that does not match: the client is not co-located).
   * The connection goes on; the client sends its messages as frames.
   */
  SHARED_MEMORY_UNAVAILABLE: { wire: 'SHARED_MEMORY_UNAVAILABLE', close: undefined },

  /** A bug in fisherd. */
  INTERNAL: { wire: 'INTERNAL', close: 1011 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FisherdErrorOptions {
  /** The input field at fault, e.g. "perExampleGrads", "optimizer.damping", "blocks[2].rank". */
  field?: string;
  /** The step the error concerns, when there is one. */
  step?: number;
  cause?: unknown;
}

export class FisherdError extends Error {
  override readonly name = 'FisherdError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly step: number | undefined;

  constructor(code: ErrorCode, message: string, options: FisherdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.step = options.step;
  }

  /** The WebSocket close code this error ends the connection with, if it ends it. */
  get closeCode(): number | undefined {
    return ERROR_CODES[this.code].close;
  }
}

/** True for a FisherdError with the given code (or any code). */
export function isFisherdError(e: unknown, code?: ErrorCode): e is FisherdError {
  return e instanceof FisherdError && (code === undefined || e.code === code);
}

/** True when `code` is one of fisherd's error codes (e.g. one received from a worker thread or a peer). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
