import { runMain } from '@seqlearn/example-kit';
import { runUmichSentiment } from './experiment';
import { parseUmichArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseUmichArgs(process.argv.slice(2));
  if (options === 'help') console.log(usage);
  else await runUmichSentiment(options);
});
