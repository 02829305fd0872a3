/**
 * `fisherd serve`: runs the daemon. Every option is a flag, a `FISHERD_*` environment variable and a key
 * of an optional JSON config file (flag > env > file > default; see src/server/options.ts), validated
 * before anything starts; `--help` lists them with their defaults.
 *
 * Prints one line to stdout once listening — `fisherd listening on ws://HOST:PORT ...` — which scripts
 * and tests wait for (with `--port 0` it carries the port picked). SIGTERM or SIGINT drain the sessions,
 * checkpoint them, close the sockets with 1001 and exit 0, or 3 when a session's final checkpoint failed
 * (disk full: the log names each session and the steps lost); a second signal exits at once with 1.
 * With `--record-dir` the line also says where traces go and how durably; the drain closes every trace
 * after its session's final checkpoint.
 */
import type { Command } from 'commander';
import { isFisherdError } from '../errors.js';
import { log } from '../log.js';
import { startDaemon } from '../server/daemon.js';
import { CONFIG_FILE_SPEC, DEFAULT_DESCRIPTIONS, DEFAULT_SERVE_OPTIONS, SERVE_OPTION_SPECS, resolveServeOptions, sessionLimitsOf, type ServeOptions } from '../server/options.js';
import { createSessionEngineFactory } from '../server/session-adapter.js';
import { describeKernels, kernelsInUse } from '../linalg/native-kernels.js';

function describeDefault(name: keyof ServeOptions): string {
  const described = DEFAULT_DESCRIPTIONS[name];
  if (described !== undefined) return described;
  const value = DEFAULT_SERVE_OPTIONS[name];
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return value === undefined ? 'none' : String(value);
}

/** The exit code when the drain finished but a session's final checkpoint failed (its last steps are lost). */
export const CHECKPOINT_LOST_EXIT_CODE = 3;

/** Exits once pino has written its buffered lines (its destination may be asynchronous). */
function exitAfterLogs(code: number): void {
  const fallback = setTimeout(() => process.exit(code), 1000);
  log.flush(() => {
    clearTimeout(fallback);
    process.exit(code);
  });
}

export function registerServe(program: Command): Command {
  const serve = program
    .command('serve')
    .description('run the daemon: WebSocket protocol, /livez, /readyz, /metrics and the dashboard (/) on one port')
    .addHelpText('after', '\nEach option is also an environment variable and a key of the --config file (shown in brackets);\nprecedence: flag > environment > config file > default.');
  serve.option(CONFIG_FILE_SPEC.flag, `${CONFIG_FILE_SPEC.help} [env ${CONFIG_FILE_SPEC.env}; default none]`);
  for (const name of Object.keys(SERVE_OPTION_SPECS) as (keyof ServeOptions)[]) {
    const spec = SERVE_OPTION_SPECS[name];
    const shownDefault = name === 'token' ? 'none' : describeDefault(name);
    serve.option(spec.flag, `${spec.help} [env ${spec.env}, file "${name}"; default ${shownDefault}]`);
  }
  serve.action(async (flags: Partial<Record<keyof ServeOptions | 'config', string>>) => {
    let options: ServeOptions;
    try {
      options = resolveServeOptions(flags);
    } catch (e) {
      console.error(`fisherd serve: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
      return;
    }
    log.level = options.logLevel;
    try {
      const kernels = describeKernels(); // throws early on a bad FISHERD_KERNELS, or native asked for and not built
      log.info({ kernels: kernelsInUse() }, kernels);
      const engines = await createSessionEngineFactory(options.backend, log, { limits: sessionLimitsOf(options), maxFrameBytes: options.maxFrameBytes });
      const daemon = await startDaemon(options, { engines, logger: log });
      const host = daemon.address.host.includes(':') ? `[${daemon.address.host}]` : daemon.address.host;
      const recording = options.recordDir === undefined ? '' : `; recording ${options.recordDir}, ${options.recordDurability}`;
      console.log(`fisherd listening on ws://${host}:${daemon.address.port} (backend ${engines.backend.detail}; ${kernels}; data ${options.dataDir}${recording})`);

      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting without draining');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal }, 'signal received');
        daemon.close().then(
          (report) => {
            if (report.lost.length === 0) {
              exitAfterLogs(0);
              return;
            }
            // The registry logged each session and its lost steps; this sums them up.
            log.error(
              { lost: report.lost.map((l) => ({ sessionId: l.sessionId, lastStep: l.lastStep, onDisk: l.checkpointedStep })) },
              `final checkpoints failed for ${report.lost.length} session(s): exiting with ${CHECKPOINT_LOST_EXIT_CODE}`,
            );
            exitAfterLogs(CHECKPOINT_LOST_EXIT_CODE);
          },
          (e: unknown) => {
            log.error({ err: e }, 'shutdown failed');
            exitAfterLogs(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    } catch (e) {
      console.error(`fisherd serve: ${isFisherdError(e) || e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    }
  });
  return serve;
}
