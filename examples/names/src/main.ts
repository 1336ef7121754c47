import { runNamesExperiment } from './experiment';
import { parseNamesArgs, UsageError, usage } from './options';

try {
  const options = parseNamesArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
  } else {
    await runNamesExperiment(options);
  }
} catch (error) {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  throw error;
}
