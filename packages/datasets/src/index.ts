export { DatasetsError, type DatasetsErrorCode } from './errors';
export { loadNames } from './load-names';
export type { TextClassificationData, TextRecord } from './records';
