/**
 * The library's logger. Library code logs through pino, never `console.log`; the CLI prints for people.
 * `FISHERD_LOG_LEVEL` sets the level (default "info"; tests run with "silent" unless told otherwise).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Creates a logger; `destination` defaults to stderr so that stdout stays free for CLI output. */
export function createLogger(options: { level?: string; name?: string } = {}, destination?: DestinationStream): Logger {
  const level = options.level ?? process.env['FISHERD_LOG_LEVEL'] ?? (process.env['VITEST'] ? 'silent' : 'info');
  return pino(
    {
      level,
      name: options.name ?? 'fisherd',
      // Never log credentials, wherever they appear in a logged object.
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination(2),
  );
}

/** The process-wide default logger. */
export const log: Logger = createLogger();
