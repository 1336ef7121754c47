import { parseExampleArgs, runMain } from '@seqlearn/example-kit';
import { runReviewQuestions } from './review';

const usage = `Usage: npm start -- [flags]   (or: npm run example -- review-questions [flags])

Prints the parameter counts of two SimpleRNN / LSTM layers (32, 64 units) on inputs of
dimension 30 with a 10-class Dense output, derived by formula and checked by building the
models, and a comparison of pretrained and task-learned embeddings.

  --out DIR   output folder for answers.json and answers.md (default runs/review-questions/<timestamp>)
  --quick     accepted for uniformity with the other examples (this one is always quick)
  --quiet     accepted; the answers are always printed
  --help      this text`;

await runMain(usage, async () => {
  const args = parseExampleArgs('review-questions', process.argv.slice(2), {});
  if (args === 'help') {
    console.log(usage);
    return;
  }
  const answers = await runReviewQuestions({ out: args.out });
  if (!answers.params.every((a) => a.agree)) process.exitCode = 1;
});
