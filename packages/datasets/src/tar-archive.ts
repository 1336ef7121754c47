import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetsError } from './errors';

/** One entry of a tar archive, as {@link readTar} yields it. */
export interface TarEntry {
  /** Path inside the archive (ustar prefix, GNU long name and pax `path` applied). */
  name: string;
  type: 'file' | 'directory' | 'other';
  /** Size of the entry's data in bytes. */
  size: number;
  /** Byte offset of the entry's header in the (uncompressed) tar stream. */
  offset: number;
  /**
   * The entry's data, checked to be complete. Call it at most once, before asking for the next
   * entry; data that is not read is skipped.
   */
  read(): Promise<Buffer>;
}

/** Pulls exact byte counts out of a stream of chunks, counting the bytes consumed. */
class ByteReader {
  position = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(stream: AsyncIterable<Buffer>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** `n` bytes, or fewer when the stream ends first. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    const have = await this.consume(n, (part) => parts.push(part));
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
  }

  /** Skips `n` bytes (or to the end for `Infinity`); returns how many there were. */
  skip(n: number): Promise<number> {
    return this.consume(n, () => {});
  }

  private async consume(n: number, take: (part: Buffer) => void): Promise<number> {
    let have = 0;
    while (have < n) {
      if (this.buffer.length === 0) {
        const next = await this.chunks.next();
        if (next.done) break;
        this.buffer = next.value;
        continue;
      }
      const count = Math.min(n - have, this.buffer.length);
      take(this.buffer.subarray(0, count));
      this.buffer = this.buffer.subarray(count);
      have += count;
    }
    this.position += have;
    return have;
  }
}

/** A NUL-terminated text field of a header. */
function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** An octal (or GNU base-256) number field; `undefined` when it is neither. */
function number(
  block: Buffer,
  start: number,
  length: number,
  emptyIs?: number,
): number | undefined {
  if (block[start] & 0x80) {
    if (block[start] !== 0x80) return undefined; // negative
    let n = 0;
    for (let i = start + 1; i < start + length; i++) n = n * 256 + block[i];
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') return emptyIs;
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : undefined;
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** `path` and `size` of a pax extended header (`<length> <key>=<value>\n` records). */
function parsePax(data: Buffer): { path?: string; size?: number } | undefined {
  const result: { path?: string; size?: number } = {};
  let at = 0;
  while (at < data.length && data[at] !== 0) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.toString('latin1', at, space));
    if (space === -1 || !Number.isInteger(length) || length <= 0 || at + length > data.length) {
      return undefined;
    }
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (equals === -1) return undefined;
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === 'path') result.path = value;
    if (key === 'size') {
      if (!/^\d+$/.test(value)) return undefined;
      result.size = Number(value);
    }
    at += length;
  }
  return result;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Reads a tar archive, gzipped or not, as a stream, entry by entry, never unpacking it, and
 * checks what tar can check: each header's checksum (`CHECKSUM_MISMATCH`, naming the header's
 * byte offset and entry), the gzip stream's CRC-32 (`CHECKSUM_MISMATCH`), and that the archive
 * is complete: data cut short, a gzip stream that ends early and a missing end-of-archive
 * marker are `MALFORMED_DATA` saying "truncated". ustar, GNU long names and pax `path`/`size`
 * are understood. `what` starts the error messages (the dataset's name).
 */
export async function* readTar(path: string, what: string): AsyncGenerator<TarEntry> {
  const gzipped = await sniff(path, what);
  const input = createReadStream(path);
  const gunzip = gzipped ? createGunzip() : undefined;
  if (gunzip) {
    input.on('error', (error) => gunzip.destroy(error));
    input.pipe(gunzip);
  }
  const bytes = new ByteReader((gunzip ?? input) as AsyncIterable<Buffer>);
  const fail = (code: 'MALFORMED_DATA' | 'CHECKSUM_MISMATCH', message: string, cause?: unknown) =>
    new DatasetsError({ code, path, message: `${what}: ${message}`, cause });
  const truncated = (how: string) =>
    fail(
      'MALFORMED_DATA',
      `${path} is truncated: ${how}; expected a complete tar archive (download or copy it again)`,
    );
  /** Runs a read, turning stream errors into typed ones. */
  const io = async <T>(read: Promise<T>): Promise<T> => {
    try {
      return await read;
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      const at = `after ${bytes.position} bytes of tar data`;
      if (code === 'Z_BUF_ERROR' || /unexpected end of file/.test(message)) {
        throw truncated(`its gzip stream ends early, ${at}`);
      }
      if (/incorrect (data|length) check/.test(message)) {
        throw fail(
          'CHECKSUM_MISMATCH',
          `${path}: expected the gzip stream's CRC-32 and length to match its data, got "${message}" ${at}: the file is corrupt`,
          error,
        );
      }
      if (typeof code === 'string' && code.startsWith('Z_')) {
        throw fail(
          'MALFORMED_DATA',
          `${path}: expected a valid gzip stream, got "${message}" ${at}`,
          error,
        );
      }
      throw fail('MALFORMED_DATA', `${path}: could not be read: ${message}`, error);
    }
  };

  let longName: string | undefined;
  let pax: { path?: string; size?: number } = {};
  try {
    for (;;) {
      const offset = bytes.position;
      const block = await io(bytes.read(512));
      if (block.length < 512) {
        if (offset === 0) {
          throw fail(
            'MALFORMED_DATA',
            `expected a tar archive at ${path}, got ${block.length} bytes of ${gzipped ? 'decompressed ' : ''}data, less than one 512-byte header`,
          );
        }
        throw truncated(
          block.length === 0
            ? `it ends after ${offset} bytes without the end-of-archive marker (zero blocks)`
            : `it ends inside the header at byte ${offset}`,
        );
      }
      if (isZero(block)) {
        // End of archive. Read the rest (zero padding) so that gzip checks its CRC-32.
        await io(bytes.skip(Number.POSITIVE_INFINITY));
        return;
      }
      const stored = number(block, 148, 8);
      const headerName = text(block, 0, 100);
      if (stored === undefined) {
        throw fail(
          'MALFORMED_DATA',
          offset === 0
            ? `expected a tar archive at ${path}, got data that is no tar header at byte 0`
            : `expected a tar header at byte ${offset} of ${path}, got a block without a checksum field: the archive is corrupt`,
        );
      }
      let unsigned = 0;
      let signed = 0;
      for (let i = 0; i < 512; i++) {
        const b = i >= 148 && i < 156 ? 0x20 : block[i];
        unsigned += b;
        signed += b > 127 ? b - 256 : b;
      }
      if (stored !== unsigned && stored !== signed) {
        throw fail(
          'CHECKSUM_MISMATCH',
          `the tar header at byte ${offset} of ${path} (entry ${JSON.stringify(headerName)}) has checksum ${stored}, expected ${unsigned}: the archive is corrupt`,
        );
      }
      const headerSize = number(block, 124, 12, 0);
      if (headerSize === undefined) {
        throw fail(
          'MALFORMED_DATA',
          `expected a size in the tar header at byte ${offset} of ${path} (entry ${JSON.stringify(headerName)}), got ${JSON.stringify(text(block, 124, 12))}`,
        );
      }
      const flag = String.fromCharCode(block[156]);
      let name = headerName;
      if (block.toString('latin1', 257, 263) === 'ustar\0') {
        const prefix = text(block, 345, 155);
        if (prefix !== '') name = `${prefix}/${name}`;
      }
      const isMeta = 'LKxg'.includes(flag);
      const size = isMeta ? headerSize : (pax.size ?? headerSize);
      if (!isMeta) name = pax.path ?? longName ?? name;
      let consumed = false;
      const readData = async (): Promise<Buffer> => {
        consumed = true;
        const data = await io(bytes.read(size));
        if (data.length < size) {
          throw truncated(
            `entry ${JSON.stringify(name)} (header at byte ${offset}) has ${data.length} of its ${size} bytes`,
          );
        }
        return data;
      };
      const finish = async () => {
        const rest = consumed ? 0 : size;
        const padding = (512 - (size % 512)) % 512;
        if ((await io(bytes.skip(rest + padding))) < rest + padding) {
          throw truncated(
            `entry ${JSON.stringify(name)} (header at byte ${offset}) is cut short in its ${size} bytes of data`,
          );
        }
      };
      if (isMeta) {
        if (flag === 'L') longName = text(await readData(), 0, size);
        if (flag === 'x') {
          const parsed = parsePax(await readData());
          if (parsed === undefined) {
            throw fail(
              'MALFORMED_DATA',
              `expected pax records "<length> <key>=<value>" in the extended header at byte ${offset} of ${path}, got something else`,
            );
          }
          pax = parsed;
        }
        await finish();
        continue;
      }
      longName = undefined;
      pax = {};
      const type =
        flag === '5' || ((flag === '0' || flag === '\0') && name.endsWith('/'))
          ? 'directory'
          : flag === '0' || flag === '\0' || flag === '7'
            ? 'file'
            : 'other';
      const entry: TarEntry = {
        name,
        type,
        size,
        offset,
        read: async () => {
          if (consumed) throw new Error(`readTar: the data of ${name} was read already`);
          return readData();
        },
      };
      yield entry;
      await finish();
    }
  } finally {
    input.destroy();
    gunzip?.destroy();
  }
}

/** Whether `path` starts like gzip; `MISSING_FILE` when absent, `MALFORMED_DATA` when empty. */
async function sniff(path: string, what: string): Promise<boolean> {
  let head: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      head = Buffer.alloc(2);
      const { bytesRead } = await file.read(head, 0, 2, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new DatasetsError({
      code: 'MISSING_FILE',
      path,
      message: `${what}: expected a readable tar archive at ${path}, got ${(error as NodeJS.ErrnoException).code ?? error}`,
      cause: error,
    });
  }
  if (head.length === 0) {
    throw new DatasetsError({
      code: 'MALFORMED_DATA',
      path,
      message: `${what}: expected a tar archive at ${path}, got an empty file`,
    });
  }
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}
