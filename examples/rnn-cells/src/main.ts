import { runMain } from '@seqlearn/example-kit';
import { runRnnCellsExperiment } from './experiment';
import { parseRnnCellsArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseRnnCellsArgs(process.argv.slice(2));
  if (options === 'help') console.log(usage);
  else await runRnnCellsExperiment(options);
});
