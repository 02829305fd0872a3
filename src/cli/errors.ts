/**
 * How a CLI command ends on an error: one line on stderr (`COMMAND: CODE: message`) and exit code 1,
 * never a stack trace. A FisherdError gives its code (e.g. TRACE_CORRUPT, with the file and byte offset
 * in its message), a system error its errno code (ENOENT, EACCES, ...); anything else is a bug in fisherd,
 * reported as INTERNAL (its stack is logged at level debug: FISHERD_LOG_LEVEL=debug).
 */
import { isFisherdError } from '../errors.js';
import { log } from '../log.js';

/** The one line that describes `e`, without its command. */
export function errorLine(e: unknown): string {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  if (isFisherdError(e)) return oneLine(`${e.code}: ${e.message}`);
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof Error && typeof code === 'string') return oneLine(`${code}: ${e.message}`);
  return oneLine(`INTERNAL: ${e instanceof Error ? e.message : String(e)} (a bug in fisherd; FISHERD_LOG_LEVEL=debug logs its stack)`);
}

/** Runs `action`; an error it throws is printed as one line on stderr and sets the exit code to 1. */
export async function reportErrors(command: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    log.debug({ err: e }, `${command} failed`);
    process.stderr.write(`${command}: ${errorLine(e)}\n`);
    process.exitCode = 1;
  }
}
