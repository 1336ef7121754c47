/**
 * The written answer to "word2vec-style pretrained embeddings or embeddings learned for the
 * task?", printed by the example and repeated in its README.
 */
export const EMBEDDINGS_COMPARISON = `Pretrained (word2vec-style) embeddings vs embeddings learned for the task

- Where the vectors come from. Pretrained vectors are fitted once, without labels, on a large
  general corpus (word2vec skip-gram/CBOW, GloVe, fastText): words used in similar contexts get
  similar vectors. Task embeddings start random and are fitted by backpropagation from the task's
  own labelled loss, so they encode only what helps that loss.
- Data needed. Pretrained vectors carry knowledge from billions of tokens into a task with little
  labelled data, and cover words that are rare or absent in the training set (which a learned
  embedding leaves near their random start). A learned embedding needs enough labelled text to
  place each word; with a large task corpus it usually catches up and can overtake.
- Fit to the task. Pretrained vectors reflect co-occurrence, not the labels: "good" and "bad"
  appear in the same contexts and end up close, which hurts sentiment. Learned vectors separate
  exactly what the labels separate. Fine-tuning pretrained vectors (trainable = true) combines
  both: a good start, then adaptation; with little data it may overfit and move only the words
  seen in training, so freezing (trainable = false) is the safer choice for small sets.
- Cost and size. Pretrained: no embedding parameters to train when frozen (V·e non-trainable),
  but a fixed dimension (50-300) and vocabulary, and a file to ship; out-of-vocabulary words
  need a fallback (a zero or random vector, or fastText subwords). Learned: V·e trainable
  parameters (often most of the model), any dimension, a vocabulary cut to the task.
- Domain. General-corpus vectors can miss domain meanings (medical terms, slang, code); vectors
  pretrained on in-domain text, or learned ones, fit such domains better.
- Rule of thumb: small labelled set or many rare words → pretrained, frozen or lightly
  fine-tuned; large labelled set in a specific domain → learned (or pretrained then fine-tuned),
  and compare both on held-out data, as the imdb example does.`;
