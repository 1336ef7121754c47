import yauzl from 'yauzl';
import { DatasetsError } from './errors';

/** A zip file's entries by name, readable one at a time (yauzl: no full unpack). */
export interface ZipArchive {
  names: string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

/** Opens a zip file or buffer and lists its entries; `MALFORMED_DATA` when it is no zip. */
export async function openZip(source: string | Buffer, label: string): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip =
      typeof source === 'string'
        ? await yauzl.openPromise(source, { lazyEntries: true, autoClose: false })
        : await yauzl.fromBufferPromise(source, { lazyEntries: true });
  } catch (error) {
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path: label,
      message: `expected a zip archive at ${label}: ${(error as Error).message}`,
      cause: error,
    });
  }
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    async read(name) {
      const entry = entries.get(name);
      if (entry === undefined) {
        throw new DatasetsError({
          code: 'MISSING_FILE',
          path: `${label}!${name}`,
          message: `expected ${name} inside ${label}, found no such entry`,
        });
      }
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    close: () => zip.close(),
  };
}
