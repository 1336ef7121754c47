/*
The rules below are those of natural's TreebankWordTokenizer
(natural/lib/natural/tokenizers/treebank_word_tokenizer.js, natural 8.1.1), carried over because
that module requires Node's `util` (for `util.inherits`), which browser bundlers do not provide.
treebank-word-tokenizer.test.ts checks that both give the same tokens.

Copyright (c) 2011, Rob Ellis, Chris Umbel

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
*/

const contractions2 = [
  /(.)('ll|'re|'ve|n't|'s|'m|'d)\b/gi,
  /\b(can)(not)\b/gi,
  /\b(D)('ye)\b/gi,
  /\b(Gim)(me)\b/gi,
  /\b(Gon)(na)\b/gi,
  /\b(Got)(ta)\b/gi,
  /\b(Lem)(me)\b/gi,
  /\b(Mor)('n)\b/gi,
  /\b(T)(is)\b/gi,
  /\b(T)(was)\b/gi,
  /\b(Wan)(na)\b/gi,
];

const contractions3 = [/\b(Whad)(dd)(ya)\b/gi, /\b(Wha)(t)(cha)\b/gi];

/** Penn Treebank word tokenization, as natural's `TreebankWordTokenizer` (internal). */
export function treebankWordTokenize(text: string): string[] {
  for (const re of contractions2) text = text.replace(re, '$1 $2');
  for (const re of contractions3) text = text.replace(re, '$1 $2 $3');
  // most punctuation
  text = text.replace(/([^\w.'\-/+<>,&])/g, ' $1 ');
  // commas if followed by space
  text = text.replace(/(,\s)/g, ' $1');
  // single quotes if followed by a space
  text = text.replace(/('\s)/g, ' $1');
  // periods before newline or end of string
  text = text.replace(/\. *(\n|$)/g, ' . ');
  return text.split(/\s+/).filter((t) => t !== '');
}
