/**
 * Reports an ill-defined metric as scikit-learn's warnings do: through `process.emitWarning`
 * (with `type`, `UndefinedMetricWarning` by default) on Node, else `console.warn`.
 */
export function warnUndefinedMetric(message: string, type = 'UndefinedMetricWarning'): void {
  const proc = (globalThis as { process?: { emitWarning?: (m: string, type: string) => void } })
    .process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, type);
  else console.warn(`${type}: ${message}`);
}
