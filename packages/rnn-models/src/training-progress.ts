/** Writes training progress: a bar redrawn in place on a terminal, one plain line otherwise. */
export class TrainingProgress {
  private readonly tty: boolean;
  private readonly write: (text: string) => void;

  constructor(
    private readonly epochs: number,
    private readonly batches: number,
    enabled: boolean,
  ) {
    const stdout = typeof process !== 'undefined' ? process.stdout : undefined;
    this.tty = enabled && Boolean(stdout?.isTTY);
    this.write = enabled
      ? (text) => {
          if (stdout) stdout.write(text);
          else console.log(text.trim());
        }
      : () => {};
  }

  batch(epoch: number, batch: number, loss: number): void {
    if (!this.tty) return;
    const width = 24;
    const done = Math.round((width * (batch + 1)) / this.batches);
    const bar = `${'='.repeat(Math.max(0, done - 1))}${done < width ? '>' : '='}`.padEnd(
      width,
      '.',
    );
    this.write(
      `\rEpoch ${epoch + 1}/${this.epochs} [${bar}] ${batch + 1}/${this.batches} - loss: ${loss.toFixed(4)}`,
    );
  }

  epoch(epoch: number, logs: Record<string, number>, seconds: number): void {
    const parts = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
    const line = `Epoch ${epoch + 1}/${this.epochs} - ${seconds.toFixed(1)}s - ${parts.join(' - ')}`;
    this.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  message(text: string): void {
    this.write(`${text}\n`);
  }
}
