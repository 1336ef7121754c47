export { TextPreprocessError, type TextPreprocessErrorCode } from './errors';
