/** Builds (or restores) the symmetric estimate of any structure. */
import { FisherdError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import { BlockDiagonalEstimate } from './block-estimate.js';
import type { EstimateBase } from './estimate-base.js';
import { createLeafEstimate } from './leaf-estimate.js';
import { copyKronecker, validateStructure, type Structure } from './structure.js';
import {
  resolveEstimateOptions,
  type AccumulatingEstimate,
  type EstimateOptions,
  type EstimateSnapshot,
} from './symmetric-estimate.js';

/** A zero estimate of dimension `dim` (validated: INVALID_CONFIG names the bad field of `structure`). */
export function createSymmetricEstimate(
  dim: number,
  structure: Structure,
  backend: Backend,
  options: EstimateOptions = {},
): AccumulatingEstimate {
  return createEstimate(dim, structure, backend, options);
}

function createEstimate(dim: number, structure: Structure, backend: Backend, options: EstimateOptions): EstimateBase {
  validateStructure(structure, dim);
  const resolved = resolveEstimateOptions(options);
  return structure.kind === 'blocks'
    ? new BlockDiagonalEstimate(dim, structure.blocks, backend, resolved)
    : createLeafEstimate(dim, structure, backend, resolved);
}

/** The structure a snapshot was taken of. */
export function snapshotStructure(snapshot: EstimateSnapshot): Structure {
  switch (snapshot.kind) {
    case 'full':
    case 'diagonal':
      return { kind: snapshot.kind };
    case 'lowrank':
      return { kind: 'lowrank', rank: snapshot.rank };
    case 'kronecker':
      return copyKronecker(snapshot.structure);
    case 'blocks':
      return {
        kind: 'blocks',
        blocks: snapshot.blocks.map((b) => {
          const structure = snapshotStructure(b.estimate);
          if (structure.kind === 'blocks') {
            throw new FisherdError('INVALID_CONFIG', 'parameter blocks cannot nest', { field: 'snapshot.blocks' });
          }
          return { name: b.name, size: b.size, structure };
        }),
      };
    default:
      throw new FisherdError('INVALID_CONFIG', `unknown snapshot kind ${(snapshot as { kind?: unknown }).kind}`, {
        field: 'snapshot.kind',
      });
  }
}

/** A new estimate in the state of `snapshot` (bit-identical when the backend's storage type matches). */
export function restoreSymmetricEstimate(
  snapshot: EstimateSnapshot,
  backend: Backend,
  options: EstimateOptions = {},
): AccumulatingEstimate {
  const estimate = createEstimate(snapshot.dim, snapshotStructure(snapshot), backend, options);
  estimate.restore(snapshot);
  return estimate;
}
