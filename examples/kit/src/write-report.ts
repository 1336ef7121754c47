import { writeReport } from '@seqlearn/report';

/**
 * Writes `report.html` (self-contained, opens offline) and `charts/*.svg` into a run folder that
 * {@link runSweep} has filled, with `@seqlearn/report`, and logs `report: <path>`.
 */
export async function writeRunReport(
  out: string,
  log: (line: string) => void = console.log,
): Promise<string> {
  const { html } = await writeReport(out);
  log(`report: ${html}`);
  return html;
}
