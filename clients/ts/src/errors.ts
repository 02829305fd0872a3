/**
 * The client's typed errors: every daemon error code (src/errors.ts, sent in Error frames) plus the few
 * that only a client can see.
 */
import type { ErrorCode } from '../../../src/errors.js';

export type FisherdClientErrorCode =
  | ErrorCode
  /** The connection closed (or could not be opened) and was not, or could not be, restored. */
  | 'CONNECTION_CLOSED'
  /** The daemon did not answer within `requestTimeoutMs`. */
  | 'TIMEOUT'
  /**
   * After a reconnect, the session resumed at an earlier step than the client had reached (the daemon
   * restarted from a checkpoint): the steps in between must be sent again. `resumedStep` says where.
   */
  | 'RESUME_GAP';

export class FisherdClientError extends Error {
  override readonly name = 'FisherdClientError';

  constructor(
    readonly code: FisherdClientErrorCode,
    message: string,
    readonly details: { readonly field?: string; readonly step?: number; readonly resumedStep?: number } = {},
  ) {
    super(message);
  }

  get field(): string | undefined {
    return this.details.field;
  }

  get step(): number | undefined {
    return this.details.step;
  }
}
