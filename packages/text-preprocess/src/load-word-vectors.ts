// Node-only: `node:fs` and `node:readline` are imported dynamically inside the function, so that
// the rest of the package (and a bundle that does not call loadWordVectors) stays browser-safe.
import { TextPreprocessError } from './errors';
import { WordVectorParser, type WordVectors, type WordVectorsParseOptions } from './word-vectors';

/** Options for {@link loadWordVectors}. */
export type LoadWordVectorsOptions = WordVectorsParseOptions;

/**
 * Streams a GloVe or word2vec/fastText text file (a path or URL, a Node readable stream, or
 * any iterable or async iterable of text chunks) line by line into {@link WordVectors}, so that memory holds the kept vectors, not the file. Pass
 * `words` to keep only a vocabulary's words, `limit` to stop early. Node only.
 * @example
 * ```ts
 * import { loadWordVectors } from '@seqlearn/text-preprocess';
 * const vectors = await loadWordVectors('glove.6B.50d.txt', { words: ['the', 'cat'] });
 * console.log(vectors.size, vectors.dim); // 2 50
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a malformed line (argument `lines`) or a
 *   file that cannot be read (argument `source`, the system error as `cause`).
 */
export async function loadWordVectors(
  source: string | URL | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: LoadWordVectorsOptions = {},
): Promise<WordVectors> {
  const parser = new WordVectorParser(options);
  const { createInterface } = await import('node:readline');
  const { Readable } = await import('node:stream');
  let input: NodeJS.ReadableStream;
  if (typeof source === 'string' || source instanceof URL) {
    const { createReadStream } = await import('node:fs');
    input = createReadStream(source);
  } else if (typeof (source as Partial<NodeJS.ReadableStream>).pipe === 'function') {
    // a Node stream (it is also an async iterable, which is how the signature admits it)
    input = source as unknown as NodeJS.ReadableStream;
  } else {
    input = Readable.from(source, { objectMode: false });
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      parser.push(line);
      if (parser.done) break;
    }
  } catch (cause) {
    if (TextPreprocessError.isInstance(cause)) throw cause;
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'source',
      message: `source: expected a readable word-vector file, got ${(cause as Error).message}`,
      cause,
    });
  } finally {
    lines.close();
    (input as { destroy?: () => void }).destroy?.();
  }
  return parser.finish();
}
