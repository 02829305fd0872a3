/** Update rules as pure init/update transforms (optax's shape), their combinators, schedules and aliases. */
export {
  EMPTY_STATE, outputArray,
  type Diagnostics, type EmptyState, type GradientTransformation, type OptState, type Schedule, type StepContext, type TransformResult,
  type Workspace,
} from './types.js';
export { StepWorkspace } from './workspace.js';
export { chain, identity, type ChainState } from './combine.js';
export {
  asSchedule, constantSchedule, scheduleValue, makeSchedule, validateScheduleSpec,
  type ScheduleSpec, type ConstantScheduleSpec, type ExponentialScheduleSpec, type CosineScheduleSpec,
  type WarmupScheduleSpec, type PiecewiseScheduleSpec, type ScheduleDomain,
} from './schedule.js';
export {
  addDecayedWeights, scaleByAdam, scaleByLearningRate, traceMomentum,
  type AdamOptions, type AdamState, type TraceOptions, type TraceState,
} from './transforms.js';
export { requireEstimate, scaleByEmpiricalFisher, scaleByFisher, scaleByInverse, type EstimateName, type SolveOptions } from './precondition.js';
export {
  emaVarianceFactor, scaleByMsvag, scaleBySnr, scaleByVarianceAdaptation, snrFactors, snrFactorsFrom,
  type MsvagOptions, type MsvagState, type VarianceAdaptationOptions,
} from './variance-adaptation.js';
export { monitor, type MonitorOptions } from './monitor.js';
export {
  adam, efgd, ngd, sgd, snr, va,
  type AdamAliasOptions, type CommonOptions, type DampedOptions, type Optimizer, type SnrOptions, type VaOptions,
} from './alias.js';
export {
  DEFAULT_DAMPING, OPTIMIZER_NAMES, makeOptimizer, requiredEstimates, validateOptimizerSpec,
  type OptimizerName, type OptimizerSpec, type RequiredEstimates,
} from './spec.js';
