import * as zlib from 'node:zlib';
import yauzl from 'yauzl';
import { DatasetsError } from './errors';

/** A zip file's entries by name, readable one at a time (yauzl: no full unpack). */
export interface ZipArchive {
  names: string[];
  /**
   * The entry's bytes, checked against the size and CRC-32 the zip records for it:
   * `CHECKSUM_MISMATCH` for a wrong CRC-32, `MALFORMED_DATA` for a wrong size or data that does
   * not inflate, `MISSING_FILE` for no such entry; `path` is `<label>!<name>`.
   */
  read(name: string): Promise<Buffer>;
  close(): void;
}

/**
 * Opens a zip file or buffer and lists its entries; `MALFORMED_DATA` when it is no zip (or its
 * central directory is damaged), `MISSING_FILE` when the file is absent.
 */
export async function openZip(source: string | Buffer, label: string): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip =
      typeof source === 'string'
        ? await yauzl.openPromise(source, { lazyEntries: true, autoClose: false })
        : await yauzl.fromBufferPromise(source, { lazyEntries: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatasetsError({
        code: 'MISSING_FILE',
        path: label,
        message: `expected a zip archive at ${label}, found nothing`,
        cause: error,
      });
    }
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path: label,
      message: `expected a zip archive at ${label}: ${(error as Error).message}`,
      cause: error,
    });
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path: label,
      message: `expected a readable zip central directory in ${label}: ${(error as Error).message}`,
      cause: error,
    });
  }
  return {
    names: [...entries.keys()],
    async read(name) {
      const entry = entries.get(name);
      const where = `${label}!${name}`;
      if (entry === undefined) {
        throw new DatasetsError({
          code: 'MISSING_FILE',
          path: where,
          message: `expected ${name} inside ${label}, found no such entry`,
        });
      }
      const expected = `${entry.uncompressedSize} bytes (as the zip records)`;
      let data: Buffer;
      try {
        const stream = await zip.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        data = Buffer.concat(chunks);
      } catch (error) {
        // yauzl checks the sizes as it reads; zlib fails on data that does not inflate.
        throw new DatasetsError({
          code: 'MALFORMED_DATA',
          path: where,
          message: `${where}: expected ${expected} of ${entry.compressionMethod === 0 ? 'stored' : 'deflated'} data, got unreadable data: ${(error as Error).message}`,
          cause: error,
        });
      }
      if (data.length !== entry.uncompressedSize) {
        throw new DatasetsError({
          code: 'MALFORMED_DATA',
          path: where,
          message: `${where}: expected ${expected}, got ${data.length}`,
        });
      }
      const actual = crc32(data);
      if (actual !== entry.crc32) {
        throw new DatasetsError({
          code: 'CHECKSUM_MISMATCH',
          path: where,
          message: `${where}: expected CRC-32 ${hex32(entry.crc32)}, got ${hex32(actual)}: the entry is corrupt`,
        });
      }
      return data;
    },
    close: () => zip.close(),
  };
}

const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

let table: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as in zip and gzip): zlib's when this Node has it (>= 20.15), else a table. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return typeof native === 'function' ? native(data) >>> 0 : crc32Table(data);
}

/** CRC-32 computed with a lookup table, for Node versions without `zlib.crc32`. */
export function crc32Table(data: Uint8Array): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
