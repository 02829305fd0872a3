/**
 * README.md's code blocks run as written: each block marked `<!-- readme-example: NAME -->` is extracted,
 * its package imports pointed at this checkout's sources, and run (the client example against a real
 * daemon process). Their results are checked against closed forms.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDaemon, type RunningDaemon } from './e2e/daemon-harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const TMP = join(ROOT, 'test', '.readme-tmp');

function readmeExample(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no example "${name}"`);
  return match[1]!;
}

/** Writes the example as a module exporting `names`, with 'fisherd' imports resolved to the sources. */
async function load(name: string, names: string[]): Promise<Record<string, unknown>> {
  mkdirSync(TMP, { recursive: true });
  const source = readmeExample(name)
    .replace(`from 'fisherd/client'`, `from '${join(ROOT, 'clients/ts/src/index.js')}'`)
    .replace(`from 'fisherd'`, `from '${join(ROOT, 'src/index.js')}'`);
  const file = join(TMP, `${name}.ts`);
  writeFileSync(file, `${source}\nexport { ${names.join(', ')} };\n`);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

describe('README examples', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('library: one exact-Fisher NGD step (γ = 1, λ = 1e-8) lands on the least-squares solution', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { theta } = await load('library', ['theta']);
    // XᵀX = 3I and Xᵀy = (3, 6), so θ_LS = (1, 2); float32 rows and λ = 1e-8 leave ~1e-6.
    expect((theta as number[])[0]).toBeCloseTo(1, 5);
    expect((theta as number[])[1]).toBeCloseTo(2, 5);
  });

  it('ts-client: the training loop runs against a real daemon and approaches θ*', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    process.env['FISHERD_URL'] = daemon.url;
    const { theta, thetaStar } = await load('ts-client', ['theta', 'thetaStar']);
    const t = theta as Float64Array;
    const star = thetaStar as number[];
    const distance = Math.hypot(...star.map((s, j) => s - t[j]!));
    // From θ = 0 (distance ‖θ*‖ ≈ 2.29): one pass of NGD over 512 samples gets within sampling error of θ*.
    expect(distance).toBeLessThan(0.8);
  });
});
