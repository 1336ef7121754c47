export { SequenceWindowsError, type SequenceWindowsErrorCode } from './errors';
