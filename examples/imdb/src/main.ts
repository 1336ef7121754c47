import { runMain } from '@seqlearn/example-kit';
import { runImdbExperiment } from './experiment';
import { parseImdbArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseImdbArgs(process.argv.slice(2));
  if (options === 'help') console.log(usage);
  else await runImdbExperiment(options);
});
