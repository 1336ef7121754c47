import { intFlag, parseExampleArgs, runMain, UsageError } from '@seqlearn/example-kit';
import { PARTS, type Part, runReviewQuestions } from './review';

const usage = `Usage: npm start -- [flags]   (or: npm run example -- review-questions [flags])

Answers the RNN review questions:
  (a) forms       one-to-one, one-to-many, many-to-one, many-to-many (synced and encoder-decoder):
                  each built and run, with its input and output shapes
      params      parameter counts of two SimpleRNN / LSTM layers (32, 64) on d = 30, 10 classes
  (c) gradients   gradient norm at the first and last step of a SimpleRNN by sequence length
                  (5 … 200), one SGD step with and without clipNorm, and training with and without it
  (d, e) memory   SimpleRNN vs LSTM on the copy-memory task as the delay grows (5, 10, 20, 40)
      embeddings  pretrained (word2vec-style) vs task-learned embeddings

  --parts LIST  parts to answer, of ${PARTS.join(',')} (default all)
  --epochs N    maximum epochs of the memory task (default 15; 3 with --quick)
  --seed N      seed of the weights and data (default 42)
  --out DIR     output folder for answers.json and answers.md (default runs/review-questions/<timestamp>)
  --quick       small measurements: a smoke run of seconds (the default run takes minutes)
  --quiet       no per-epoch lines of the memory task (the answers are always printed)
  --help        this text`;

await runMain(usage, async () => {
  const args = parseExampleArgs('review-questions', process.argv.slice(2), {
    parts: { type: 'string' },
    epochs: { type: 'string' },
  });
  if (args === 'help') {
    console.log(usage);
    return;
  }
  const parts = ((args.values.parts as string | undefined) ?? PARTS.join(','))
    .split(',')
    .map((p) => p.trim());
  for (const p of parts) {
    if (!PARTS.includes(p as Part)) {
      throw new UsageError(
        `--parts: expected a list of ${PARTS.join(', ')}, got ${JSON.stringify(p)}`,
      );
    }
  }
  const answers = await runReviewQuestions({
    out: args.out,
    quick: args.quick,
    seed: args.seed,
    parts: parts as Part[],
    memoryEpochs:
      args.values.epochs === undefined ? undefined : intFlag(args.values.epochs, '--epochs', 1),
    verbose: !args.quiet,
  });
  if (!answers.params.every((a) => a.agree)) process.exitCode = 1;
});
