export { DatasetsError, type DatasetsErrorCode } from './errors';
