import { runMain } from '@seqlearn/example-kit';
import { runWindowing } from './experiment';
import { parseWindowingArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseWindowingArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
    return;
  }
  await runWindowing(options);
});
