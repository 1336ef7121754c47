// Types for the few deep modules of `natural` that `tokenize` loads; importing them one by one
// instead of `natural` itself keeps the package's load time at milliseconds (see tokenize.ts).
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  const regexpTokenizers: {
    WordTokenizer: new () => { tokenize(text: string): string[] };
  };
  export default regexpTokenizers;
}
declare module 'natural/lib/natural/tokenizers/treebank_word_tokenizer.js' {
  export default class TreebankWordTokenizer {
    tokenize(text: string): string[];
  }
}
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer.js' {
  export default class AggressiveTokenizer {
    tokenize(text: string): string[];
  }
}
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
declare module 'natural/lib/natural/util/stopwords.js' {
  const stopwords: { words: string[] };
  export default stopwords;
}
