import { existsSync } from 'node:fs';
import { runMain } from '@seqlearn/example-kit';
import { CORPUS_URL } from './corpus';
import { runCharLmExperiment } from './experiment';
import { parseCharLmArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseCharLmArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
    return;
  }
  if (!existsSync(options.data)) {
    console.error(
      `char-lm: no corpus at ${options.data}.\n` +
        `Download tiny-shakespeare (1,115,394 bytes) from\n  ${CORPUS_URL}\n` +
        'and pass it with --data FILE, or set SEQLEARN_SHARED_DATASETS to the folder holding shakespeare/input.txt.',
    );
    process.exit(1);
  }
  await runCharLmExperiment(options);
});
