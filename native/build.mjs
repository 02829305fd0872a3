#!/usr/bin/env node
// Builds fisherd's native CPU kernels (native/fisherd-kernels.c) into native/build/libfisherd-kernels.so with
// the system C compiler ($CC, default `cc`). Run by `npm ci` / `npm install` (package.json "install") and by
// the Dockerfile's build stage. Without a compiler it says so and exits 0: fisherd then runs the same passes in
// JavaScript (the same bits, ~4x slower; bench/RESULTS.md). `--require` makes a failed build an error (CI).
//
// Flags: -O3 with AVX2 clones chosen at load time (the source's target_clones), -fno-trapping-math (no FP traps are
// enabled, so the selects of the passes may run as vector blends; no result changes), -ffp-contract=off and no
// -ffast-math, so that every operation rounds as the JavaScript passes round (the source's header); -lm for sqrt.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'fisherd-kernels.c');
const outDir = join(here, 'build');
const out = join(outDir, 'libfisherd-kernels.so');
const required = process.argv.includes('--require');
const cc = process.env.CC || 'cc';

if (process.env.FISHERD_NATIVE_KERNELS === '0') {
  console.log('fisherd: FISHERD_NATIVE_KERNELS=0, native kernels not built (the JavaScript passes will run)');
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const args = ['-O3', '-fno-trapping-math', '-fPIC', '-shared', '-ffp-contract=off', '-fvisibility=hidden', '-Wall', '-Wextra', '-o', tmp, source, '-lm'];
const result = spawnSync(cc, args, { encoding: 'utf8' });
if (result.error !== undefined || result.status !== 0) {
  const why = result.error !== undefined ? `${cc} not found (${result.error.message})` : `${cc} failed:\n${result.stderr}`;
  rmSync(tmp, { force: true });
  const message = `fisherd: native kernels not built: ${why}\nfisherd will run its JavaScript passes (the same results, slower). Install a C compiler (Debian: gcc) and run \`npm run build:native\`.`;
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.log(message);
  process.exit(0);
}
renameSync(tmp, out); // atomic: a running daemon never loads a half-written library
console.log(`fisherd: native kernels built: ${out}`);
