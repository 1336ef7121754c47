import { runMain } from '@seqlearn/example-kit';
import { runHar } from './experiment';
import { HarDataMissingError } from './har-data';
import { parseHarArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseHarArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
    return;
  }
  try {
    await runHar(options);
  } catch (error) {
    if (error instanceof HarDataMissingError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
});
