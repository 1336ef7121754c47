/**
 * A GitHub-flavoured markdown table.
 * @example
 * ```ts
 * import { markdownTable } from '@seqlearn/sweep';
 * console.log(markdownTable(['run', 'accuracy'], [['a', '0.80']]));
 * // | run | accuracy |
 * // | --- | --- |
 * // | a | 0.80 |
 * ```
 */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
