// An .xlsx is a zip archive, and exceljs inflates every part of it into memory. A file of a few
// megabytes can hold gigabytes of zeros (a "zip bomb"), which would take the reading process down
// with every project workflow it runs. So the archive is measured before it is read: its parts
// inflated with a budget, whatever sizes its directory claims.
import { inflateRawSync } from 'node:zlib';

/** What a ledger's workbook may inflate to, all parts together: a 50,000-row ledger needs about half. */
export const MAX_WORKBOOK_INFLATED_BYTES = 256 * 1024 * 1024;

/** Why an archive is refused before it is read. */
export class WorkbookBoundsError extends Error {
  constructor(
    readonly reason: 'too_large' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'WorkbookBoundsError';
  }
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Where the end-of-directory record starts: searched from the end, past a comment of up to 64 KiB. */
function endOfDirectory(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new WorkbookBoundsError('malformed', 'no zip end-of-directory record');
}

/**
 * Throws unless the archive's parts, inflated, come to at most `limit` bytes. Each part is inflated
 * with what is left of the budget, so a part that claims to be small but is not stops at the budget.
 * Parts in other compression methods are left to the reader, which refuses them.
 */
export function assertWorkbookBounded(zip: Buffer, limit = MAX_WORKBOOK_INFLATED_BYTES): void {
  if (zip.length < 22) throw new WorkbookBoundsError('malformed', 'too short for a zip archive');
  const end = endOfDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  // ZIP64 markers: sizes past 4 GiB, which no ledger has.
  if (entries === 0xffff || at === 0xffffffff) throw new WorkbookBoundsError('too_large', 'a ZIP64 archive');
  let left = limit;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== DIRECTORY_ENTRY)
      throw new WorkbookBoundsError('malformed', 'a broken zip directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const declared = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    at += 46 + skip;
    if (declared > left) throw new WorkbookBoundsError('too_large', 'inflates past the limit');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_HEADER)
      throw new WorkbookBoundsError('malformed', 'a broken zip entry');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, Math.min(zip.length, start + compressed));
    if (method === STORED) {
      left -= data.length;
    } else if (method === DEFLATED) {
      try {
        left -= inflateRawSync(data, { maxOutputLength: Math.max(1, left) }).length;
      } catch (e) {
        // By its code: the error may come from another realm than this module's RangeError.
        if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new WorkbookBoundsError('too_large', 'inflates past the limit');
        // A part that does not inflate is the reader's to refuse, with its own words.
        continue;
      }
    }
    if (left < 0) throw new WorkbookBoundsError('too_large', 'inflates past the limit');
  }
}
