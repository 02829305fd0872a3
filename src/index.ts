/**
 * fisherd as a library: the same layers the daemon runs, for use in-process.
 *
 * The common entry points are re-exported at the top level; every layer is also available as a namespace
 * (`linalg`, `curvature`, `optim`, `session`) with its full API. See docs/architecture.md.
 */
export { ERROR_CODES, FisherdError, isFisherdError, type ErrorCode } from './errors.js';
export { FISHERD_VERSION } from './version.js';

export * as linalg from './linalg/index.js';
export * as curvature from './curvature/index.js';
export * as optim from './optim/index.js';
export * as session from './session/index.js';

export { allBackends, createBackend, selectBackend, type Backend, type BackendName } from './linalg/index.js';
export { CurvatureEstimator, type Batch, type CurvatureConfig, type RowBlock, type Structure } from './curvature/index.js';
export { adam, chain, efgd, makeOptimizer, ngd, sgd, snr, va, type OptimizerSpec } from './optim/index.js';
export {
  Session, type SessionConfig, type StepContribution, type StepDiagnostics, type StepResult,
} from './session/index.js';
