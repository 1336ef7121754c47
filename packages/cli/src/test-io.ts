import type { TextSink } from './io';

/** A {@link TextSink} that keeps what is written, for tests. */
export function sink(isTTY = false): TextSink & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (text: string) => chunks.push(text),
    text: () => chunks.join(''),
  };
}
