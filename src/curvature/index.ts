/** Running curvature and noise estimates: the public surface of `src/curvature/`. */
export type { KroneckerStructure, LeafStructure, ParameterBlock, Structure } from './structure.js';
export { blockOffsets, copyStructure, describeStructure, findBlock, kroneckerInputOrder, validateStructure } from './structure.js';
export { KroneckerEstimate, type KroneckerState } from './kronecker-estimate.js';
export {
  blockIndex, blockToMatrix, FACTOR_SYMMETRY_TOLERANCE, factorSumPasses, isSymmetricByConstruction, kroneckerFactorsFromPairs, kroneckerShape,
  markSymmetricByConstruction, matrixToBlock, outerProductSum, validateKroneckerFactors, type KroneckerEigenbasisSquares,
  type KroneckerFactorChecks, type KroneckerFactors, type KroneckerPairs, type KroneckerShape,
} from './kronecker-factors.js';
export { decomposeKroneckerFactors, type KroneckerDecomposition, type KroneckerRefreshJob } from './kronecker-decomposition.js';
export type { RowBlock, RowTransform } from './rows.js';
export { forEachRowChunk, validateRowBlock, validateRowBlocks } from './rows.js';
export type {
  AccumulatingEstimate,
  EstimateOptions,
  EstimateSnapshot,
  FactoredSlices,
  LowRankTerm,
  ResolvedEstimateOptions,
  SymmetricEstimate,
} from './symmetric-estimate.js';
export { DEFAULT_ESTIMATE_OPTIONS, resolveEstimateOptions } from './symmetric-estimate.js';
export { createSymmetricEstimate, restoreSymmetricEstimate, snapshotStructure } from './create-estimate.js';
export { FullEstimate } from './full-estimate.js';
export { DiagonalEstimate } from './diagonal-estimate.js';
export { LowRankEstimate } from './lowrank-estimate.js';
export { BlockDiagonalEstimate } from './block-estimate.js';
export { EmaClock } from './ema.js';
export type { Batch, TrackedQuantities } from './batch.js';
export { validateBatch } from './batch.js';
export { CurvatureEstimator, type CurvatureConfig, type CurvatureSnapshot } from './estimator.js';
export { allocateSummary, validateSummary, type DiagonalBatchSummary } from './batch-summary.js';
export { firstNonFinite } from './validate.js';
