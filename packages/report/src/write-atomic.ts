import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ReportError } from './errors';

/** Writes `file` through a temporary file in the same folder and a rename, so it is never seen half-written. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw new ReportError({
      code: 'IO_ERROR',
      file,
      message: `${file}: cannot be written (${(error as Error).message})`,
      cause: error,
    });
  }
}
