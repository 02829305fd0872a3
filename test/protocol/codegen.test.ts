/**
 * The committed static code (src/protocol/generated/) is exactly what `npm run proto:gen` produces from
 * proto/fisherd.proto, and the protocol's ErrorCode enum mirrors src/errors.ts one to one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/errors.js';
import { errorCodeFromWire, wire, wireErrorCode } from '../../src/protocol/frames.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('generated protocol code', () => {
  it('matches a fresh regeneration from proto/fisherd.proto (run `npm run proto:gen` after editing the .proto)', () => {
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['proto:gen'] as string;
    const out = mkdtempSync(join(tmpdir(), 'fisherd-proto-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    // The same command as the npm script, writing into a temporary directory.
    const command = script.replaceAll('src/protocol/generated/', `${out}/`);
    expect(command).not.toBe(script);
    execFileSync('sh', ['-c', command], { cwd: ROOT, env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env['PATH']}` } });
    for (const file of ['fisherd.js', 'fisherd.d.ts']) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(ROOT, 'src', 'protocol', 'generated', file), 'utf8'));
    }
  }, 30_000);

  it('ErrorCode mirrors src/errors.ts one to one', () => {
    const protoNames = Object.keys(wire.ErrorCode).filter((name) => name !== 'ERROR_CODE_UNSPECIFIED' && Number.isNaN(Number(name)));
    const codes = Object.keys(ERROR_CODES) as ErrorCode[];
    expect(protoNames.sort()).toEqual(codes.map((c) => `ERROR_CODE_${ERROR_CODES[c].wire}`).sort());
    for (const code of codes) expect(errorCodeFromWire(wireErrorCode(code))).toBe(code);
    expect(new Set(codes.map(wireErrorCode)).size).toBe(codes.length);
    expect(errorCodeFromWire(9999)).toBe('INTERNAL');
  });
});
