/**
 * Replay through a running daemon: the trace's contributions are sent as if the training client(s) were
 * live (one connection per worker, through the TypeScript client library), into a new session with the
 * recorded config, and every update the daemon returns is compared byte for byte with the recorded one.
 * With the same config and backend, fisherd's updates are deterministic, so they must be identical.
 */
import { FisherdClient } from '../../clients/ts/src/client.js';
import { FisherdError } from '../errors.js';
import { log as defaultLog, type Logger } from '../log.js';
import { float32Bytes, readFloat32 } from '../protocol/floats.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { contributionFromWire } from '../protocol/step-codec.js';
import type { SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import { decodeContribution, decodeUpdate } from './contribution-record.js';
import { checkSessionConfig } from './header-check.js';
import { openTrace, type TraceDamage } from './reader.js';
import type { ReplayProgress, ReproductionReport } from './replay.js';
import { traceByteLayout } from './segment-files.js';

export interface RemoteReplayOptions {
  /** The daemon, e.g. ws://127.0.0.1:7447. Required. */
  url: string;
  /** Its bearer token, if it has one. */
  token?: string;
  /** After a corrupt record, go on with the next segment. Default false. */
  continueAfterCorruption?: boolean;
  onProgress?: (progress: ReplayProgress) => void;
  logger?: Logger;
}

export interface RemoteReplayResult {
  /** The session the replay created on the daemon. */
  sessionId: string;
  recordedSessionId: string;
  recordedConfig: SessionConfig;
  /** The daemon's backend as its Welcome states it. */
  daemonBackend: string;
  steps: number;
  /** As an offline replay reports it (the rule and backend are the daemon's, so they are left out). */
  reproduction: Omit<ReproductionReport, 'optimizer' | 'replayBackend'>;
  damage: TraceDamage[];
}

/** Replays `inputs` through the daemon at `options.url`. The replay session is discarded at the end. */
export async function replayThroughDaemon(inputs: readonly string[], options: RemoteReplayOptions): Promise<RemoteReplayResult> {
  const logger = options.logger ?? defaultLog;
  const reader = await openTrace(inputs, { continueAfterCorruption: options.continueAfterCorruption ?? false, logger });
  const { totalBytes, startOf } = await traceByteLayout(inputs);
  const clients: FisherdClient[] = [];
  let header: { sessionId: string; backend: string; config: SessionConfig } | undefined;
  let sessionId = '';
  let daemonBackend = '';
  let pending: StepContribution[] = [];
  let offset: number | undefined;
  let steps = 0;
  const answered = new Map<number, Uint8Array>(); // daemon's Δθ by recorded step, until the recorded one is read
  const reproduction: RemoteReplayResult['reproduction'] = {
    recorded: 0, compared: 0, identical: 0, firstMismatchStep: undefined, maxAbsDifference: 0, recordedBackend: '', backendMatches: false, reproduced: false,
  };

  const connect = async (config: SessionConfig) => {
    const workers = config.workers ?? 1;
    for (let w = 0; w < workers; w++) {
      clients.push(await FisherdClient.connect(options.url, {
        workerId: w, clientName: `fisherd replay worker ${w}`, reconnect: false, ...(options.token ? { token: options.token } : {}),
      }));
    }
    const opened = await clients[0]!.openSession({ ...config, record: false });
    sessionId = opened.sessionId;
    for (const client of clients.slice(1)) await client.resumeSession(sessionId);
    daemonBackend = clients[0]!.server.backend;
  };

  // After a record that does not decode (with continueAfterCorruption): the rest of its segment is skipped.
  let skipping: string | undefined;
  const undecodable = (entry: { path: string; offset: number; frameLength: number }, message: string, kind: 'contribution' | 'update') => {
    reader.recordFailed(entry, { status: 'undecodable', message }, kind); // throws TRACE_CORRUPT unless told to go on
    skipping = entry.path;
  };

  try {
    for await (const entry of reader) {
      if (entry.kind === 'header') {
        if (header && header.sessionId !== entry.header.sessionId) {
          throw new FisherdError('INVALID_CONFIG', 'the trace holds several sessions: replay one session at a time', { field: 'trace' });
        }
        if (!header) {
          // The reader checked the header (TRACE_CORRUPT with file and offset otherwise): this cannot throw.
          const { config } = checkSessionConfig(entry.header.sessionConfig);
          header = { sessionId: entry.header.sessionId, backend: entry.header.backend, config };
          reproduction.recordedBackend = entry.header.backend;
        }
      } else if (entry.kind === 'contribution') {
        if (entry.path === skipping) continue;
        // Copied: the step's contributions are sent after the reader has moved on.
        const wire = decodeContribution(entry.body.slice());
        if (typeof wire === 'string') {
          undecodable(entry, wire, 'contribution');
          continue;
        }
        if (clients.length === 0) await connect(header!.config);
        const c = contributionFromWire(wire);
        offset ??= c.step - 1;
        pending.push({ ...c, step: c.step - offset });
        if (pending.length < clients.length) continue;
        const batch = pending;
        pending = [];
        const updates = await Promise.all(batch.map((contribution) => clients[contribution.workerId]!.step(contribution)));
        answered.set(c.step, float32Bytes(updates[0]!.delta).slice());
        if (answered.size > 8) answered.delete(answered.keys().next().value!);
        steps++;
        options.onProgress?.({ steps, bytesRead: (startOf.get(entry.path) ?? 0) + entry.offset + entry.frameLength, totalBytes });
      } else if (entry.kind === 'update') {
        if (entry.path === skipping) continue;
        const recorded = decodeUpdate(entry.body);
        if (typeof recorded === 'string') {
          undecodable(entry, recorded, 'update');
          continue;
        }
        reproduction.recorded++;
        const mine = answered.get(recorded.step);
        if (mine === undefined) continue;
        answered.delete(recorded.step);
        reproduction.compared++;
        if (Buffer.compare(Buffer.from(mine), Buffer.from(recorded.delta)) === 0) {
          reproduction.identical++;
          continue;
        }
        reproduction.firstMismatchStep ??= recorded.step;
        const a = readFloat32(mine, 'delta');
        const b = readFloat32(recorded.delta, 'update.delta');
        for (let i = 0; i < Math.min(a.length, b.length); i++) {
          reproduction.maxAbsDifference = Math.max(reproduction.maxAbsDifference, Math.abs(a[i]! - b[i]!));
        }
      }
    }
    if (clients.length > 0) await clients[0]!.closeSession({ discard: true });
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }
  if (!header) throw new FisherdError('MISSING_INPUT', 'the trace holds no header', { field: 'trace' });
  reproduction.backendMatches = header.backend !== '' && daemonBackend.startsWith(header.backend);
  reproduction.reproduced = reproduction.recorded > 0 && reproduction.compared === reproduction.recorded
    && reproduction.identical === reproduction.compared;
  return {
    sessionId, recordedSessionId: header.sessionId, recordedConfig: header.config, daemonBackend, steps, reproduction, damage: reader.damage,
  };
}
