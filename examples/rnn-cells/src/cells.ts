import { BasicRNNCell, LSTMCell } from '@seqlearn/rnn-models';

/** Which from-scratch cell a setting trains. */
export type CellKind = 'rnn' | 'lstm';

/** A from-scratch cell with a dense projection of `outputSize` on its state. */
export function makeCell(
  kind: CellKind,
  {
    inputSize,
    units,
    outputSize,
    seed,
  }: { inputSize: number; units: number; outputSize: number; seed: number },
): BasicRNNCell | LSTMCell {
  if (kind !== 'rnn' && kind !== 'lstm') {
    throw new Error(`cell: expected "rnn" or "lstm", got ${JSON.stringify(kind)}`);
  }
  const Cell = kind === 'lstm' ? LSTMCell : BasicRNNCell;
  return new Cell({ inputSize, units, outputSize, seed });
}

/** Trainable parameters of a cell: the sizes of its variables. */
export function cellParams(cell: BasicRNNCell | LSTMCell): number {
  return cell.trainableWeights.reduce((n, w) => n + w.size, 0);
}

/**
 * Parameters of a cell with a projection, by formula: `g·(units·(in + units) + units) + units·out
 * + out`, with g = 1 gate block for the RNN and 4 for the LSTM.
 */
export function cellParamsByFormula(
  kind: CellKind,
  inputSize: number,
  units: number,
  outputSize: number,
): number {
  const gates = kind === 'lstm' ? 4 : 1;
  return gates * (units * (inputSize + units) + units) + units * outputSize + outputSize;
}

/** Units of a cell of `kind` whose parameter count is nearest to `target`. */
export function unitsForParams(
  kind: CellKind,
  inputSize: number,
  outputSize: number,
  target: number,
): number {
  let best = 1;
  for (let u = 1; u <= 4096; u++) {
    const d = Math.abs(cellParamsByFormula(kind, inputSize, u, outputSize) - target);
    if (d < Math.abs(cellParamsByFormula(kind, inputSize, best, outputSize) - target)) best = u;
    if (cellParamsByFormula(kind, inputSize, u, outputSize) > target) break;
  }
  return best;
}

/** `RNN(32)` / `LSTM(32)`. */
export function cellLabel(kind: CellKind, units: number): string {
  return `${kind === 'lstm' ? 'LSTM' : 'RNN'}(${units})`;
}
