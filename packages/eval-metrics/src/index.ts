export { EvalMetricsError, type EvalMetricsErrorCode } from './errors';
