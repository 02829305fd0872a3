/** The fisherd TypeScript client library. */
export { FisherdClient, type ConnectOptions, type SessionInfo, type StepInput } from './client.js';
export { FisherdClientError, type FisherdClientErrorCode } from './errors.js';
export type { EstimatesData, EstimateData, EstimateName, KroneckerBasisData } from '../../../src/protocol/estimates-codec.js';
export type { UpdateData, UpdateDiagnostics } from '../../../src/protocol/step-codec.js';
export type { SessionConfig } from '../../../src/session/config.js';
export type { StepContribution, Reduction } from '../../../src/session/contribution.js';
export {
  addFactorSums, eigenbasisSquaresFromPairs, kroneckerStatisticsFromPairs, statisticsFromRows, type BlockStatistics, type DiagonalMoments, type KroneckerFactorSums,
  type KroneckerStatistics, type OutputGradFactorSum, type StatisticsEncoding, type StatisticsLayout, type StatisticsRows,
} from './statistics.js';
