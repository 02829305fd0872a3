/** Builds the estimate of one leaf structure (full, diagonal, low-rank or Kronecker). */
import type { Backend } from '../linalg/backend.js';
import { DiagonalEstimate } from './diagonal-estimate.js';
import type { EstimateBase } from './estimate-base.js';
import { FullEstimate } from './full-estimate.js';
import { KroneckerEstimate } from './kronecker-estimate.js';
import { LowRankEstimate } from './lowrank-estimate.js';
import type { LeafStructure } from './structure.js';
import type { ResolvedEstimateOptions } from './symmetric-estimate.js';

export function createLeafEstimate(
  dim: number,
  structure: LeafStructure,
  backend: Backend,
  options: ResolvedEstimateOptions,
): EstimateBase {
  switch (structure.kind) {
    case 'full':
      return new FullEstimate(dim, backend, options);
    case 'diagonal':
      return new DiagonalEstimate(dim, backend, options);
    case 'lowrank':
      return new LowRankEstimate(dim, structure.rank, backend, options);
    case 'kronecker':
      return new KroneckerEstimate(structure, backend, options);
  }
}
