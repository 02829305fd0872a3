/**
 * The Diagnostics.values keys are listed in three places that must agree: the proto's comment on
 * `Diagnostics.values`, the table in docs/dashboard.md and `DIAGNOSTIC_KEYS` (the CSV export's column
 * order); and the daemon's engine sends exactly those keys (all of them for a session that tracks
 * everything, with an optimizer that solves with damping).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_FIXED_COLUMNS, DIAGNOSTIC_KEYS } from '../../src/cli/trace.js';
import { createLogger } from '../../src/log.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { ROOT } from '../e2e/daemon-harness.js';

const proto = readFileSync(join(ROOT, 'proto', 'fisherd.proto'), 'utf8');
const docs = readFileSync(join(ROOT, 'docs', 'dashboard.md'), 'utf8');

/** The keys quoted in the comment block above `map<string, double> values` of message Diagnostics. */
function protoKeys(): string[] {
  const message = /message Diagnostics \{([\s\S]*?)\n\}/.exec(proto)?.[1] ?? '';
  const comment = message.slice(0, message.indexOf('map<string, double> values'));
  return [...comment.matchAll(/^\s*\/\/\s+"(\w+)"/gm)].map((m) => m[1]!);
}

/** The table rows of docs/dashboard.md's "Diagnostics" section: [name, CSV column]. */
function docRows(): Array<[string, string]> {
  const section = docs.slice(docs.indexOf('## Diagnostics'), docs.indexOf('\n## ', docs.indexOf('## Diagnostics') + 3));
  return [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => [m[1]!, m[2]!]);
}

describe('the diagnostics keys', () => {
  it('agree between the proto, docs/dashboard.md and the CSV export', () => {
    expect(protoKeys()).toEqual([...DIAGNOSTIC_KEYS]);
    const rows = docRows();
    expect(rows.filter(([name]) => !name.startsWith('values')).map(([, csv]) => csv)).toEqual([...CSV_FIXED_COLUMNS].slice(1));
    expect(rows.filter(([name]) => name.startsWith('values')).map(([name, csv]) => [name, csv]))
      .toEqual(DIAGNOSTIC_KEYS.map((k) => [`values["${k}"]`, k]));
    // The fixed fields are the proto's Diagnostics fields.
    for (const [name] of rows.filter(([n]) => !n.startsWith('values'))) expect(proto).toMatch(new RegExp(`^\\s+(optional )?\\w+ ${name} = \\d+;`, 'm'));
  });

  it('are what the daemon sends', async () => {
    const factory = await createSessionEngineFactory('reference', createLogger({ level: 'silent' }));
    const D = 4;
    const B = 3;
    const rows = (seed: number) => Float32Array.from({ length: B * D }, (_, i) => Math.sin(seed + 0.7 * i));
    const keysOf = async (config: Parameters<typeof factory.create>[0]): Promise<string[]> => {
      const engine = await factory.create(config);
      const contribution: StepContribution = {
        step: 1, workerId: 0, batchSize: B, reduction: 'sum', loss: 0.5,
        perExampleGrads: rows(1), sampledLabelGrads: { samplesPerExample: 1, rows: rows(2) },
      };
      return Object.keys(engine.step([contribution]).diagnostics.values).sort();
    };
    const all = { empiricalFisher: true, fisher: true, noise: true };
    // `rho` comes only with damping adaptation, on the steps that adapt (test/optim/damping-adaptation.test.ts).
    expect(await keysOf({ dim: D, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, track: all }))
      .toEqual(DIAGNOSTIC_KEYS.filter((k) => k !== 'rho').sort());
    expect(await keysOf({ dim: D, optimizer: { name: 'sgd', stepSize: 0.1 } })).toEqual(['gradNorm', 'stepSize']);
    expect(await keysOf({ dim: D, optimizer: { name: 'snr', stepSize: 0.1 } })).toEqual(['gradNorm', 'meanSnr', 'stepSize']); // noise kept: snr needs it
  });
});
