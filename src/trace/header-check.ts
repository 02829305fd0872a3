/**
 * What a trace reader checks of a segment header before it trusts anything in it (docs/trace-format.md,
 * "What a reader checks"): the header's own fields, and its session config, decoded and validated with
 * the very function the daemon applies to OpenSession (`validateSessionConfig`), so that a trace holds
 * only sessions the daemon could have opened. A header that fails is `TRACE_CORRUPT`; the reader adds
 * the file and the byte offset.
 */
import { FisherdError, isFisherdError } from '../errors.js';
import { sessionConfigFromWire } from '../protocol/config-codec.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { validateSessionConfig, type ResolvedSessionConfig, type SessionConfig } from '../session/config.js';
import type { TraceHeader } from './record-codec.js';

/**
 * Largest header record a reader accepts, in bytes (checked from the frame's length field, before the
 * record is read). A header holds a session config, i.e. a few hundred bytes, plus ~20 bytes per named
 * parameter block: 16 MiB is far above any config the daemon accepts.
 */
export const MAX_HEADER_RECORD_BYTES = 16 * 1024 * 1024;

/** Longest `session_id` accepted in a header (the daemon's ids are 36-character UUIDs). */
export const MAX_SESSION_ID_LENGTH = 256;

/** The largest time `Date` can hold (ms since the epoch): a later `created_at_ms` cannot be shown. */
const MAX_DATE_MS = 8.64e15;

/** A header's session config, decoded and validated. */
export interface CheckedSessionConfig {
  /** As recorded (what a replay re-opens, with its overrides). */
  config: SessionConfig;
  /** With every default filled in, as the daemon holds it (for memory estimates). */
  resolved: ResolvedSessionConfig;
}

function corrupt(message: string, field: string, cause?: unknown): FisherdError {
  return new FisherdError('TRACE_CORRUPT', message, { field, ...(cause === undefined ? {} : { cause }) });
}

/** Values of a protobufjs enum object (its own keys map names to numbers). */
function enumValues(e: object): readonly number[] {
  return Object.values(e).filter((v): v is number => typeof v === 'number');
}

const ENUMS = {
  fisherSource: enumValues(fisherd.v1.FisherSource),
  kind: enumValues(fisherd.v1.BlockStructure.Kind),
  name: enumValues(fisherd.v1.OptimizerConfig.Name),
  snrVariance: enumValues(fisherd.v1.OptimizerConfig.SnrVariance),
};

/** Every enum field of the config holds a value this fisherd knows (protobuf keeps unknown ones as numbers). */
function checkEnums(w: fisherd.v1.SessionConfig): void {
  const check = (value: number | null | undefined, known: readonly number[], field: string) => {
    if (value !== null && value !== undefined && !known.includes(value)) {
      throw corrupt(`session config field ${field} has the unknown value ${value}`, `sessionConfig.${field}`);
    }
  };
  check(w.fisherSource, ENUMS.fisherSource, 'fisherSource');
  check(w.structure?.kind, ENUMS.kind, 'structure.kind');
  w.blocks.forEach((b, i) => check(b.structure?.kind, ENUMS.kind, `blocks[${i}].structure.kind`));
  check(w.optimizer?.name, ENUMS.name, 'optimizer.name');
  check(w.optimizer?.snrVariance, ENUMS.snrVariance, 'optimizer.snrVariance');
}

/**
 * Decodes `bytes` (a `fisherd.v1.SessionConfig`, as a trace header holds it) and validates it as the
 * daemon validates OpenSession. Throws `TRACE_CORRUPT` (the field in `field`, the daemon's INVALID_CONFIG
 * as the cause) when the bytes are missing, do not decode (protobufjs bounds nesting at 100 messages),
 * hold an unknown enum value, or describe a session the daemon would refuse (sizes over its limits
 * included). Never throws anything else.
 */
export function checkSessionConfig(bytes: Uint8Array): CheckedSessionConfig {
  if (bytes.length === 0) throw corrupt('the header has no session config', 'sessionConfig');
  let wire: fisherd.v1.SessionConfig;
  try {
    wire = fisherd.v1.SessionConfig.decode(bytes);
  } catch (e) {
    throw corrupt(`the header's session config does not decode (${e instanceof Error ? e.message : String(e)})`, 'sessionConfig', e);
  }
  checkEnums(wire);
  try {
    const config = sessionConfigFromWire(wire);
    return { config, resolved: validateSessionConfig(config) };
  } catch (e) {
    if (isFisherdError(e)) {
      throw corrupt(`the header's session config is invalid: ${e.code}: ${e.message}`, `sessionConfig${e.field ? `.${e.field}` : ''}`, e);
    }
    // Anything else (a stack overflow on a pathological config, say) is a config the daemon could not have opened either.
    throw corrupt(`the header's session config cannot be read (${e instanceof Error ? e.message : String(e)})`, 'sessionConfig', e);
  }
}

/**
 * Checks a segment header's own fields (a session id, a segment index ≥ 1, a creation time a date can
 * hold) and its session config (`checkSessionConfig`). Throws `TRACE_CORRUPT`. The magic and the format
 * version are the reader's (TRACE_VERSION for a version it does not read).
 */
export function checkHeader(header: TraceHeader): CheckedSessionConfig {
  if (header.sessionId.length === 0) throw corrupt('the header has no session id', 'sessionId');
  if (header.sessionId.length > MAX_SESSION_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(header.sessionId)) {
    throw corrupt(`the header's session id (${header.sessionId.length} characters) is not one the daemon gives`, 'sessionId');
  }
  if (!(header.segmentIndex >= 1)) throw corrupt(`the header's segment index is ${header.segmentIndex} (they start at 1)`, 'segmentIndex');
  if (header.createdAtMs > MAX_DATE_MS) throw corrupt(`the header's creation time ${header.createdAtMs} ms is not a date`, 'createdAtMs');
  return checkSessionConfig(header.sessionConfig);
}
