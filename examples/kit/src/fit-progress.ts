import type { CustomCallbackArgs, Logs } from '@tensorflow/tfjs';

/** Where progress goes: a terminal gets a bar redrawn in place, anything else plain lines. */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

function formatLogs(logs: Logs | undefined): string {
  return Object.entries(logs ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join('  ');
}

/**
 * A tfjs `fit` callback that reports progress: on a terminal a bar per epoch, redrawn in place;
 * otherwise one plain line per epoch, so that logs stay readable.
 */
export function fitProgress(
  { label, epochs, batchesPerEpoch }: { label: string; epochs: number; batchesPerEpoch: number },
  sink: ProgressSink = process.stderr,
): CustomCallbackArgs {
  let epoch = 0;
  let started = 0;
  const width = 24;
  return {
    onEpochBegin: async (e) => {
      epoch = e;
      started = Date.now();
    },
    onBatchEnd: async (batch, logs) => {
      if (!sink.isTTY) return;
      const done = Math.min(1, (batch + 1) / batchesPerEpoch);
      const filled = Math.round(done * width);
      const bar = `${'='.repeat(filled)}${' '.repeat(width - filled)}`;
      sink.write(
        `\r${label} epoch ${epoch + 1}/${epochs} [${bar}] ${batch + 1}/${batchesPerEpoch}  loss ${(logs?.loss ?? 0).toFixed(4)}`,
      );
    },
    onEpochEnd: async (e, logs) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      sink.write(
        `${sink.isTTY ? '\r\x1b[2K' : ''}${label} epoch ${e + 1}/${epochs}  ${formatLogs(logs)}  (${seconds} s)\n`,
      );
    },
  };
}
