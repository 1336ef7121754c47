export { CliError, type CliErrorCode } from './errors';
export type { CliIo, TextSink } from './io';
export { main } from './main';
