import { deflateRawSync, constants } from 'node:zlib';

/** One part of a hand-made zip archive; `declared` overrides the size its headers claim. */
export interface ZipPart {
  name: string;
  /** Raw deflate data (see deflated, zeros) or the bytes themselves when stored. */
  data: Buffer;
  method: 'stored' | 'deflated';
  inflatedSize: number;
  declared?: number;
}

export const deflated = (name: string, content: Buffer | string): ZipPart => {
  const bytes = Buffer.from(content);
  return { name, data: deflateRawSync(bytes), method: 'deflated', inflatedSize: bytes.length };
};

/**
 * A deflated part of `megabytes` MiB of zeros in a few hundred bytes a MiB: one flushed block of a
 * MiB repeated, then an empty final block. What a "zip bomb" is made of.
 */
export function zeros(name: string, megabytes: number, declared?: number): ZipPart {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  const data = Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
  return { name, data, method: 'deflated', inflatedSize: megabytes * 1024 * 1024, declared };
}

/** A zip archive of the parts, written as the format says (CRCs left 0: the bounds check reads none). */
export function zipOf(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const method = part.method === 'stored' ? 0 : 8;
    const size = part.declared ?? part.inflatedSize;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(part.data.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    directory.push(entry, name);
    offset += local.length + name.length + part.data.length;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The parts of a workbook whose one sheet is `megabytes` MiB of zeros. */
export function workbookBomb(megabytes: number): Buffer {
  return zipOf([
    deflated(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    zeros('xl/worksheets/sheet1.xml', megabytes, 1024),
  ]);
}
