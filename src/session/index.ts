/** One training run: config, estimates and optimizer state; multi-worker steps; snapshots. */
export {
  DEFAULT_BLOCK_NAME, MAX_FULL_BLOCK_SIZE, curvatureConfig, sessionStructure, validateSessionConfig,
  type FisherSource, type ResolvedSessionConfig, type SessionConfig,
} from './config.js';
export {
  factorRowMultiplier, gradientRowMultiplier, validateContribution,
  type ContributionRequirements, type Reduction, type StepContribution,
} from './contribution.js';
export { mergeContributions, type MergedStep } from './merge.js';
export {
  MAX_TOP_K, SESSION_SNAPSHOT_FORMAT, Session,
  type EstimateName, type EstimateReport, type EstimatesQuery, type EstimatesReport, type KroneckerBasisReport, type SessionSnapshot,
  type StepDiagnostics, type StepResult, type StepSummary,
} from './session.js';
export {
  SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC, decodeSessionSnapshot, decodeSnapshotValue, encodeSessionSnapshot,
  encodeSnapshotValue, sessionConfigHash, type SnapshotBinding, type SnapshotValue,
} from './snapshot-codec.js';
export { StepAssembler } from './step-assembler.js';
export {
  diagonalMomentsOf, mergeStatistics, validateStatistics,
  type BlockStatistics, type DiagonalMoments, type StatisticsVector,
} from './statistics.js';
