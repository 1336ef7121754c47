import path from 'node:path';
import { markdownTable, writeFileAtomic, writeJsonAtomic } from '@seqlearn/example-kit';
import { initBackend } from '@seqlearn/rnn-models';
import { EMBEDDINGS_COMPARISON } from './embeddings-note';
import {
  answerParamQuestion,
  formatParamAnswer,
  PARAM_QUESTIONS,
  type ParamAnswer,
} from './param-counts';

/** Options of {@link runReviewQuestions}. */
export interface ReviewOptions {
  /** Folder that receives `answers.json` and `answers.md`. */
  out: string;
}

/** What {@link runReviewQuestions} returns and writes to `answers.json`. */
export interface ReviewAnswers {
  backend: string;
  params: ParamAnswer[];
  embeddings: string;
}

/**
 * Prints the answers to the review questions: the parameter counts of the two stacked classifiers
 * (formula with its arithmetic, `countParams`, and two built models), then the comparison of
 * pretrained and task-learned embeddings. Writes them to `out/answers.json` and `out/answers.md`.
 */
export async function runReviewQuestions(
  { out }: ReviewOptions,
  log: (line: string) => void = console.log,
): Promise<ReviewAnswers> {
  const backend = await initBackend({ log: false });
  const params = PARAM_QUESTIONS.map(answerParamQuestion);
  for (const a of params) log(`${formatParamAnswer(a)}\n`);
  log(EMBEDDINGS_COMPARISON);

  const answers: ReviewAnswers = {
    backend: backend.name,
    params,
    embeddings: EMBEDDINGS_COMPARISON,
  };
  await writeJsonAtomic(path.join(out, 'answers.json'), answers);
  const md = [
    '# Review questions',
    '',
    ...params.flatMap((a) => [
      `**${a.question}**`,
      '',
      markdownTable(
        ['layer', 'formula', 'arithmetic', 'params'],
        a.layers.map((l) => [l.layer, l.formula, l.arithmetic, String(l.params)]),
      ),
      '',
      `Total ${a.byFormula}; countParams ${a.byCountParams}; built model ${a.byBuiltModel}; plain tf.layers ${a.byPlainTfjs}.`,
      '',
    ]),
    EMBEDDINGS_COMPARISON,
    '',
  ].join('\n');
  await writeFileAtomic(path.join(out, 'answers.md'), md);
  log(`\nwrote ${out}`);
  return answers;
}
