export { type CharacterStats, characterStats } from './character-stats';
export { type DampedSineOptions, dampedSine } from './damped-sine';
export { getDataDir } from './data-dir';
export {
  type DatasetAdapter,
  type DatasetKind,
  type DatasetSource,
  defineDataset,
  type LoadedSplit,
  type LoadOptions,
} from './dataset-adapter';
export { DBPEDIA_CLASS_NAMES, type DbpediaWikiData, dbpediaWiki } from './dbpedia-wiki';
export { type DownloadOptions, type DownloadProgress, download, progressBar } from './download';
export { DatasetsError, type DatasetsErrorCode } from './errors';
export { type ImdbData, type ImdbRecord, imdb } from './imdb';
export { loadNames } from './load-names';
export {
  MEMORY_TASK_BLANK,
  MEMORY_TASK_DELIMITER,
  type MemoryTaskData,
  type MemoryTaskOptions,
  type MemoryTaskRecord,
  memoryTask,
} from './memory-task';
export { type NamesData, names } from './names';
export {
  type PowerRecord,
  type PowerSeriesData,
  type PowerSeriesOptions,
  powerSeries,
} from './power-series';
export type { TextClassificationData, TextRecord } from './records';
export {
  type AnyDatasetAdapter,
  type BuiltinDatasets,
  getDataset,
  listDatasets,
  type RegisterDatasetOptions,
  registerDataset,
} from './registry';
export { type Si650Data, si650 } from './si650';
export { type SineOptions, sine } from './sine';
export type { SeriesData, SeriesPoint } from './synthetic-helpers';
export { type CorpusLine, type TextCorpusData, textCorpus } from './text-corpus';
export {
  type HarRecord,
  UCI_HAR_SIGNALS,
  type UciHarData,
  type UciHarOptions,
  uciHar,
} from './uci-har';
