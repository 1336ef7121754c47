export { RnnModelsError, type RnnModelsErrorCode } from './errors';
