import { join } from 'node:path';

/**
 * The repository's real-data folder (`../shared/datasets` beside the checkout), or the folder
 * named by `SEQLEARN_SHARED_DATASETS`. Tests that need it skip with a reason when it is absent.
 */
export const sharedDatasets =
  process.env.SEQLEARN_SHARED_DATASETS ??
  join(__dirname, '..', '..', '..', '..', '..', 'shared', 'datasets');
