/**
 * The repository names no path of the machine it was written on, nor the development workspace's
 * shared folder: users have neither. Every tracked text file is read (git ls-files).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

// Spelled in pieces, so that this file does not match itself.
const FORBIDDEN: readonly RegExp[] = [
  new RegExp(['', 'work', ''].join('/')),
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['', 'root', ''].join('/')),
  new RegExp(['', 'tmp', 'bash_jobs'].join('/')),
];

describe('repository hygiene', () => {
  it('no tracked file names a development-machine path', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter((f) => f.length > 0);
    expect(files.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const file of files) {
      if (file === 'package-lock.json' || /\.(png|jpg|gz|bin|npz|npy)$/.test(file)) continue;
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        for (const pattern of FORBIDDEN) if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('ships a LICENSE that agrees with package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});
