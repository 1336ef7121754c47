import { writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of {@link buildZip}. */
export interface ZipEntrySpec {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  /** Override of the recorded uncompressed size (both headers). */
  size?: number;
}

/** A zip in the PKWARE layout (local headers, central directory, end record); data offsets too. */
export function buildZip(entries: ZipEntrySpec[]): { zip: Buffer; dataAt: Record<string, number> } {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  const dataAt: Record<string, number> = {};
  let offset = 0;
  for (const { name, data, method, size = data.length } of entries) {
    const packed = method === 8 ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    dataAt[name] = offset + local.length + nameBytes.length;
    parts.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return { zip: Buffer.concat([...parts, ...centrals, end]), dataAt };
}

/** Writes a zip (deflate, no extras) holding `files` (name → content), for archive fixtures. */
export function writeZip(path: string, files: Record<string, Buffer | string>): void {
  const entries = Object.entries(files).map(([name, content]) => ({
    name,
    data: Buffer.isBuffer(content) ? content : Buffer.from(content),
    method: 8 as const,
  }));
  writeFileSync(path, buildZip(entries).zip);
}
