import { TextPreprocessError } from './errors';
import { invalid, isIterable, show } from './validate';
import { WordVectorParser, type WordVectors, type WordVectorsParseOptions } from './word-vectors';

/** Options for {@link loadWordVectors}. */
export type LoadWordVectorsOptions = WordVectorsParseOptions;

// `node:fs` is loaded only when a path is given, through a specifier that bundlers do not try to
// resolve, so that a browser bundle of this package needs no Node built-ins.
const nodeFs = 'node:fs';

async function* openFile(path: string | URL): AsyncIterable<Uint8Array> {
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ nodeFs)) as {
    createReadStream(path: string | URL): AsyncIterable<Uint8Array> & { destroy(): void };
  };
  const stream = fs.createReadStream(path);
  try {
    yield* stream;
  } finally {
    stream.destroy();
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

async function* toLines(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
) {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', start)) {
      yield rest.slice(start, end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

/**
 * Streams a GloVe or word2vec/fastText text file line by line into {@link WordVectors}, so that
 * memory holds the kept vectors, not the file. `source` is a path or `file:` URL (Node), or any
 * iterable or async iterable of text chunks (strings or UTF-8 bytes): a Node stream, a
 * `fetch` response body. Pass `words` to keep only a vocabulary's words, `limit` to stop early.
 * @example
 * ```ts
 * import { loadWordVectors } from '@seqlearn/text-preprocess';
 * const vectors = await loadWordVectors('glove.6B.50d.txt', { words: ['the', 'cat'] });
 * console.log(vectors.size, vectors.dim); // 2 50
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a malformed line or an empty source
 *   (argument `lines`, the message naming the line; see {@link WordVectors.fromLines} for the
 *   rules) or a source that cannot be read (argument `source`, the underlying error as `cause`).
 */
export async function loadWordVectors(
  source: string | URL | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: LoadWordVectorsOptions = {},
): Promise<WordVectors> {
  const isPath = typeof source === 'string' || source instanceof URL;
  if (!isPath && !isIterable(source) && !isAsyncIterable(source)) {
    throw invalid(
      'source',
      `source: expected a path, a file: URL or an (async) iterable of text chunks, got ${show(source)}`,
    );
  }
  const parser = new WordVectorParser(options);
  const chunks = isPath ? openFile(source) : source;
  try {
    for await (const line of toLines(chunks)) {
      parser.push(line.endsWith('\r') ? line.slice(0, -1) : line);
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
  }
  return parser.finish();
}
