import { readSettings, runMain } from '@seqlearn/example-kit';
import { runNamesExperiment } from './experiment';
import { completeSettings, type NamesSetting, parseNamesArgs, usage } from './options';

await runMain(usage, async () => {
  const options = parseNamesArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
    return;
  }
  if (options.sweep) {
    const { units, batchSize, epochs, learningRate, lrDecay } = options.settings[0];
    options.settings = completeSettings(await readSettings<NamesSetting>(options.sweep), {
      units,
      batchSize,
      epochs,
      learningRate,
      lrDecay,
    });
  }
  await runNamesExperiment(options);
});
