/** `validateSessionConfig`: defaults, and INVALID_CONFIG errors that name the field. */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { curvatureConfig, validateSessionConfig, type SessionConfig } from '../../src/session/index.js';

const BASE: SessionConfig = { dim: 10, optimizer: { name: 'sgd', stepSize: 0.1 } };

function fieldOf(config: unknown): { field: string | undefined; message: string } {
  try {
    validateSessionConfig(config as SessionConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(FisherdError);
    expect((e as FisherdError).code).toBe('INVALID_CONFIG');
    return { field: (e as FisherdError).field, message: (e as FisherdError).message };
  }
  return { field: undefined, message: '' };
}

describe('validateSessionConfig', () => {
  it('fills in the documented defaults', () => {
    const resolved = validateSessionConfig(BASE);
    expect(resolved).toEqual({
      dim: 10,
      blocks: [{ name: 'params', size: 10, structure: { kind: 'diagonal' } }],
      singleBlock: true,
      optimizer: BASE.optimizer,
      emaDecay: 0,
      fisherSource: 'sampled',
      workers: 1,
      datasetSize: null,
      record: false,
      backend: 'auto',
      track: { empiricalFisher: false, fisher: false, noise: false },
    });
    expect(curvatureConfig(resolved).structure).toEqual({ kind: 'diagonal' });
  });

  it('tracks what the optimizer needs plus `track`', () => {
    const resolved = validateSessionConfig({ ...BASE, optimizer: { name: 'va', stepSize: 1 }, track: { fisher: true } });
    expect(resolved.track).toEqual({ empiricalFisher: false, fisher: true, noise: true });
  });

  it('keeps named blocks as a block structure', () => {
    const resolved = validateSessionConfig({
      ...BASE,
      blocks: [
        { name: 'w', size: 8, structure: { kind: 'full' } },
        { name: 'b', size: 2, structure: { kind: 'lowrank', rank: 2 } },
      ],
    });
    expect(curvatureConfig(resolved).structure.kind).toBe('blocks');
    expect(resolved.singleBlock).toBe(false);
  });

  it.each([
    [{ ...BASE, dim: 0 }, 'dim'],
    [{ ...BASE, dim: 2.5 }, 'dim'],
    [{ ...BASE, optimizer: { name: 'ngd', stepSize: 0.1, damping: -1 } }, 'optimizer.damping'],
    [{ ...BASE, optimizer: { name: 'sgd', stepSize: 0 } }, 'optimizer.stepSize'],
    [{ ...BASE, emaDecay: 1 }, 'emaDecay'],
    [{ ...BASE, emaDecay: -0.1 }, 'emaDecay'],
    [{ ...BASE, workers: 0 }, 'workers'],
    [{ ...BASE, fisherSource: 'analytic' }, 'fisherSource'],
    [{ ...BASE, datasetSize: 0 }, 'datasetSize'],
    [{ ...BASE, backend: 'cuda' }, 'backend'],
    [{ ...BASE, track: { noise: 'yes' } }, 'track.noise'],
    [{ ...BASE, structure: { kind: 'lowrank', rank: 0 } }, 'structure.rank'],
    [{ ...BASE, structure: { kind: 'full' }, dim: 10_000 }, 'structure'],
    [{ ...BASE, blocks: [{ name: 'a', size: 4, structure: { kind: 'full' } }, { name: 'b', size: 4, structure: { kind: 'full' } }] }, 'blocks'],
    [{ ...BASE, blocks: [{ name: 'a', size: 5, structure: { kind: 'full' } }, { name: 'a', size: 5, structure: { kind: 'full' } }] }, 'blocks[1].name'],
    [{ ...BASE, blocks: [{ name: 'a', size: 10, structure: { kind: 'sparse' } }] }, 'blocks[0].structure.kind'],
    [{ ...BASE, blocks: [] }, 'blocks'],
    [{ ...BASE, structure: { kind: 'lowrank', rank: 3 }, optimizer: { name: 'va', stepSize: 1, damping: 0 } }, 'optimizer.damping'],
  ])('%j → %s', (config, field) => {
    const result = fieldOf(config);
    expect(result.field).toBe(field);
    expect(result.message).toContain(field);
  });

  it('says what is wrong with the damping in the words of the brief', () => {
    expect(fieldOf({ ...BASE, optimizer: { name: 'ngd', stepSize: 0.1, damping: -1 } }).message).toBe('optimizer.damping must be ≥ 0');
  });
});
