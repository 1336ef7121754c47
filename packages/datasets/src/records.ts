/** A labelled piece of text: `label` indexes the dataset's `classNames`. */
export interface TextRecord {
  /** The text: a surname, a sentence, a review or a paragraph. */
  text: string;
  /** Index into the dataset's `classNames`. */
  label: number;
}

/** A labelled text dataset: records plus the names of their classes. */
export interface TextClassificationData {
  /** The records, in a fixed, documented order. */
  records: TextRecord[];
  /** Class names; `records[i].label` indexes this array. */
  classNames: string[];
}
