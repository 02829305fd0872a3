/** `validateSessionConfig`: defaults, and INVALID_CONFIG errors that name the field. */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { curvatureConfig, validateSessionConfig, type SessionConfig } from '../../src/session/index.js';
import { defaultSessionName, effectiveTrack, MAX_SESSION_NAME_LENGTH, withDefaultName } from '../../src/session/config.js';

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
      name: null,
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

  it('keeps a name of at most 128 printable characters, refusing others with INVALID_CONFIG on `name`', () => {
    expect(validateSessionConfig({ ...BASE, name: 'mnist ngd λ=1e-3 🚀' }).name).toBe('mnist ngd λ=1e-3 🚀');
    expect(validateSessionConfig({ ...BASE, name: '🚀'.repeat(MAX_SESSION_NAME_LENGTH) }).name).toHaveLength(2 * MAX_SESSION_NAME_LENGTH); // code points count
    expect(fieldOf({ ...BASE, name: 'x'.repeat(129) })).toEqual({ field: 'name', message: 'name has 129 characters; at most 128' });
    expect(fieldOf({ ...BASE, name: '' })).toEqual({ field: 'name', message: 'name must not be empty or only spaces' });
    expect(fieldOf({ ...BASE, name: '   ' }).field).toBe('name');
    expect(fieldOf({ ...BASE, name: 'a\nb' })).toEqual({ field: 'name', message: 'name must be printable; it has the control character U+000A at index 1' });
    expect(fieldOf({ ...BASE, name: 'a\u009bb' }).message).toContain('U+009B');
    expect(fieldOf({ ...BASE, name: 42 }).message).toBe('name must be a string');
  });

  it('names a session "<client name> <UTC start time>" when it has no name', () => {
    const at = new Date(Date.UTC(2026, 11, 3, 8, 15, 2, 999));
    expect(defaultSessionName('train-logistic', at)).toBe('train-logistic 2026-12-03 08:15:02');
    expect(defaultSessionName(undefined, at)).toBe('session 2026-12-03 08:15:02');
    expect(defaultSessionName(' \t ', at)).toBe('session 2026-12-03 08:15:02');
    expect(defaultSessionName('a\u0000b', at)).toBe('a b 2026-12-03 08:15:02');
    const long = defaultSessionName('c'.repeat(500), at);
    expect([...long]).toHaveLength(MAX_SESSION_NAME_LENGTH);
    expect(validateSessionConfig({ ...BASE, name: long }).name).toBe(long);
    expect(withDefaultName(BASE, 'job', at).name).toBe('job 2026-12-03 08:15:02');
    expect(withDefaultName({ ...BASE, name: 'mine' }, 'job', at).name).toBe('mine');
  });

  it('effectiveTrack: what the optimizer needs ∪ track', () => {
    expect(effectiveTrack({ optimizer: { name: 'snr', stepSize: 1 } })).toEqual({ empiricalFisher: false, fisher: false, noise: true });
    expect(effectiveTrack({ optimizer: { name: 'snr', stepSize: 1, snrVariance: 'moments' } }).noise).toBe(false);
    expect(effectiveTrack({ optimizer: { name: 'sgd', stepSize: 1 }, track: { fisher: true } })).toEqual({ empiricalFisher: false, fisher: true, noise: false });
  });

  it('says what is wrong with the damping in the words of the brief', () => {
    expect(fieldOf({ ...BASE, optimizer: { name: 'ngd', stepSize: 0.1, damping: -1 } }).message).toBe('optimizer.damping must be ≥ 0');
  });
});
