/** The live dashboard: the hub the daemon routes to, the feed that fills it from session events. */
export { DashboardHub, DASHBOARD_PATHS, DEFAULT_DASHBOARD_OPTIONS, type DashboardOptions } from './dashboard-hub.js';
export {
  createDashboardFeed, DEFAULT_MAX_LAYER_SERIES, describeStructure, kroneckerLayerNames, layersOfOutcome, sessionInfo, spectrumOfEstimates, stepOfOutcome,
  type DashboardCloseEvent, type DashboardFeed, type DashboardFeedOptions, type DashboardOpenEvent, type DashboardStepEvent, type EstimatesAccessor,
} from './dashboard-feed.js';
export type { DashboardLayer, DashboardLayerEstimate, DashboardLayers, DashboardMessage, DashboardSessionInfo, DashboardSessionState, DashboardSessionStatus, DashboardSpectrum, DashboardStep } from './messages.js';
export { histogramOfFactors, snrFactors, SNR_HISTOGRAM_BINS, type SnrHistogram } from './snr-histogram.js';
