/** The compute layer's public surface: the backend contract, the backends, selection and float64 solvers. */
export type { Backend, BackendName, CentredSquares, CholeskyFactor, ColumnSums, DType, EighOptions, SymmetricEigen, Vec } from './backend.js';
export { ReferenceBackend, createReferenceBackend } from './reference.js';
export { choleskyFactor, DenseCholesky } from './cholesky.js';
export { symmetricEigen } from './eigh.js';
export { selfCheck } from './self-check.js';
export { AUTO_PRIORITY, allBackends, createBackend, resolvePreference, selectBackend, type BackendPreference } from './select.js';
export { OpenBlasBackend, createOpenBlasBackend, type OpenBlasOptions } from './openblas.js';
export { mirrorUpperToLower, requireLength } from './layout.js';
export { GpuJsBackend, createGpuJsBackend, DEFAULT_MAX_TILE_SIZE, type GpuJsOptions } from './gpujs.js';
export { chooseGpuJsMode, GPUJS_MODE_PRIORITY, type GpuJsMode } from './gpujs-mode.js';
export {
  conjugateGradient, type ConjugateGradientOptions, type ConjugateGradientResult, type LinearOperator,
} from './cg.js';
export { lanczosTopEigenvalues, type LanczosOptions, type LanczosResult } from './lanczos.js';
