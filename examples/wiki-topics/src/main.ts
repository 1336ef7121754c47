import { runMain } from '@seqlearn/example-kit';
import { runWikiTopics } from './experiment';
import { parseWikiArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseWikiArgs(process.argv.slice(2));
  if (options === 'help') console.log(usage);
  else await runWikiTopics(options);
});
