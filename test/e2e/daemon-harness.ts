/**
 * Runs the real daemon as a separate process for end-to-end tests: `node <build>/src/cli/main.js serve
 * --port 0 ...`, waiting for its "listening on ws://HOST:PORT" line.
 *
 * The build: test files run in parallel workers, so the first one to take a lock (an atomic mkdir)
 * compiles the project (tsconfig.build.json) into test-artifacts/e2e-dist while the others wait; a stamp
 * newer than every source file lets later runs skip the build.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'test-artifacts', 'e2e-dist');
const STAMP = join(OUT, '.stamp');
const LOCK = `${OUT}.lock`;
export const MAIN = join(OUT, 'src', 'cli', 'main.js');

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (/\.(ts|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  if (!existsSync(STAMP) || !existsSync(MAIN)) return false;
  const sources = Math.max(newestSourceMtime(join(ROOT, 'src')), newestSourceMtime(join(ROOT, 'clients', 'ts', 'src')));
  return statSync(STAMP).mtimeMs > sources;
}

/** Builds the daemon once per source change; returns the path of the CLI entry point. */
export async function buildDaemon(): Promise<string> {
  for (;;) {
    if (fresh()) return MAIN;
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    try {
      mkdirSync(LOCK, { recursive: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      await new Promise((r) => setTimeout(r, 200)); // another worker is building
      continue;
    }
    try {
      if (fresh()) return MAIN;
      const started = Date.now();
      try {
        execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], { cwd: ROOT, stdio: 'pipe' });
      } catch (e) {
        // Type errors elsewhere in the tree (files still being written) do not stop tsc from emitting.
        if (!existsSync(MAIN)) throw e;
      }
      cpSync(join(ROOT, 'src', 'protocol', 'generated', 'fisherd.js'), join(OUT, 'src', 'protocol', 'generated', 'fisherd.js'));
      writeFileSync(STAMP, String(started));
      return MAIN;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export interface RunningDaemon {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly http: string;
  readonly dataDir: string;
  /** Everything the daemon wrote to stderr so far (its pino log). */
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Temporary directories made here, removed after the test file that made them (vitest evaluates this
 * module once per test file, so the hook below is registered in each; their daemons are gone by then).
 */
const madeDirs: string[] = [];
afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (`prefix` + random), removed after the test file. */
export function tempDir(prefix = 'fisherd-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export function tempDataDir(): string {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  return tempDir('fisherd-e2e-');
}

/** Starts `fisherd serve` with `args` (besides --port 0 and --data-dir, unless given). */
export async function startDaemon(args: string[] = [], options: { dataDir?: string; env?: NodeJS.ProcessEnv; port?: number } = {}): Promise<RunningDaemon> {
  const main = await buildDaemon();
  const dataDir = options.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, [main, 'serve', '--port', String(options.port ?? 0), '--data-dir', dataDir, '--backend', 'reference', ...args], {
    cwd: ROOT,
    env: { ...process.env, FISHERD_LOG_LEVEL: 'info', VITEST: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon did not start in 30 s:\n${stdout}\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /listening on ws:\/\/[^\s]+:(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited (${code}) before listening:\n${stdout}\n${stderr}`));
    });
  });
  return {
    process: child,
    port,
    url: `ws://127.0.0.1:${port}`,
    http: `http://127.0.0.1:${port}`,
    dataDir,
    stderr: () => stderr,
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A deterministic pseudo-random stream in [-1, 1) (mulberry32; no Math.random in e2e data). */
export function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
