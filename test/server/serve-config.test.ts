/**
 * Serve options from a JSON config file (flag > env > file > default), the new option kinds, `fisherd
 * serve --help` listing every option with its default, and docs/deploy.md's table listing them all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerServe } from '../../src/cli/serve.js';
import { CONFIG_FILE_SPEC, DEFAULT_DESCRIPTIONS, DEFAULT_SERVE_OPTIONS, SERVE_OPTION_SPECS, readServeConfigFile, resolveServeOptions, type ServeOptions } from '../../src/server/options.js';

const files: Record<string, string> = {
  'good.json': JSON.stringify({ port: 7100, dataDir: '/from-file', checkpointEvery: '9', dashboard: false, logLevel: 'warn' }),
  'typo.json': JSON.stringify({ prot: 7100 }),
  'broken.json': '{ "port": ',
  'array.json': '[1]',
  'bad-value.json': JSON.stringify({ maxSessions: 0 }),
  'null.json': JSON.stringify({ host: null }),
};
const read = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};

describe('serve options: config file', () => {
  it('takes flag > env > file > default', () => {
    const options = resolveServeOptions({ config: 'good.json', checkpointEvery: '3' }, { FISHERD_DATA_DIR: '/from-env' }, read);
    expect(options.port).toBe(7100); // file
    expect(options.dataDir).toBe('/from-env'); // env over file
    expect(options.checkpointEvery).toBe(3); // flag over file
    expect(options.dashboard).toBe(false);
    expect(options.logLevel).toBe('warn');
    expect(options.maxSessions).toBe(DEFAULT_SERVE_OPTIONS.maxSessions); // default
    // The file may also come from FISHERD_CONFIG.
    expect(resolveServeOptions({}, { FISHERD_CONFIG: 'good.json' }, read).port).toBe(7100);
  });

  it('refuses unreadable, malformed or misspelt files, naming the file and the key', () => {
    expect(() => resolveServeOptions({ config: 'missing.json' }, {}, read)).toThrow(/--config \/ FISHERD_CONFIG: missing\.json: cannot read it \(ENOENT/);
    expect(() => resolveServeOptions({ config: 'broken.json' }, {}, read)).toThrow(/broken\.json: is not valid JSON/);
    expect(() => resolveServeOptions({ config: 'array.json' }, {}, read)).toThrow(/must hold one JSON object/);
    expect(() => resolveServeOptions({ config: 'typo.json' }, {}, read)).toThrow(/unknown option "prot"; the options are host, port,/);
    expect(() => resolveServeOptions({ config: 'null.json' }, {}, read)).toThrow(/"host" must be a string, a number or a boolean/);
    expect(() => resolveServeOptions({ config: 'bad-value.json' }, {}, read)).toThrow(
      '--max-sessions / FISHERD_MAX_SESSIONS: "0" is not an integer in [1, 1000000] (from "maxSessions" in bad-value.json)',
    );
    // A flag that overrides a bad file value wins: the overridden value is never used, so never parsed.
    expect(resolveServeOptions({ config: 'bad-value.json', maxSessions: '2' }, {}, read).maxSessions).toBe(2);
  });

  it('reads only known keys into strings', () => {
    expect(readServeConfigFile('good.json', read)).toEqual({ port: '7100', dataDir: '/from-file', checkpointEvery: '9', dashboard: 'false', logLevel: 'warn' });
  });

  it('parses booleans and enums with clear refusals', () => {
    for (const word of ['on', 'true', 'YES', '1']) expect(resolveServeOptions({ dashboard: word }, {}).dashboard).toBe(true);
    for (const word of ['off', 'false', 'no', '0']) expect(resolveServeOptions({}, { FISHERD_DASHBOARD: word }).dashboard).toBe(false);
    expect(() => resolveServeOptions({ dashboard: 'maybe' }, {})).toThrow('--dashboard / FISHERD_DASHBOARD: "maybe" is not one of on, off');
    expect(() => resolveServeOptions({}, { FISHERD_LOG_LEVEL: 'loud' })).toThrow(/--log-level \/ FISHERD_LOG_LEVEL: "loud" is not one of fatal, error, warn, info/);
    expect(() => resolveServeOptions({ dashboardSpectrumMs: '10' }, {})).toThrow(/--dashboard-spectrum-ms/);
  });
});

describe('fisherd serve --help', () => {
  it('lists every option with its flag, variable, file key and default', () => {
    const program = new Command('fisherd').exitOverride();
    const help = registerServe(program).helpInformation({ error: false });
    const flat = help.replace(/\s+/g, ' ');
    expect(flat).toContain(`${CONFIG_FILE_SPEC.flag} `);
    for (const name of Object.keys(SERVE_OPTION_SPECS) as (keyof ServeOptions)[]) {
      const spec = SERVE_OPTION_SPECS[name];
      expect(flat).toContain(spec.flag);
      expect(flat).toContain(`env ${spec.env}, file "${name}"; default `);
    }
    expect(flat).toContain('default 7070]');
    expect(flat).toContain('[env FISHERD_DASHBOARD, file "dashboard"; default on]');
    expect(flat).toContain('[env FISHERD_TOKEN, file "token"; default none]');
  });
});

describe('docs/deploy.md', () => {
  it('has a row for every option with its flag, variable, key and default', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    for (const name of Object.keys(SERVE_OPTION_SPECS) as (keyof ServeOptions)[]) {
      const spec = SERVE_OPTION_SPECS[name];
      const value = DEFAULT_SERVE_OPTIONS[name];
      const described = DEFAULT_DESCRIPTIONS[name];
      const shown = described !== undefined ? described : value === undefined ? 'none' : typeof value === 'boolean' ? `\`${value ? 'on' : 'off'}\`` : `\`${String(value)}\``;
      expect(doc).toContain(`| \`${spec.flag}\` | \`${spec.env}\` | \`${name}\` | ${shown} |`);
    }
  });
});
