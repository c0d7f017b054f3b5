import type { EvidenceMediaType } from '@app/domain';

/** How much of a file's beginning is kept to tell its type and read its EXIF data. */
export const HEAD_BYTES = 128 * 1024;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/** ISO base media brands of HEIF images coded with HEVC (what phones call HEIC). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
/** Generic HEIF brands: HEIC unless the file says it is AVIF. */
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** A compound file (CFB) is a .doc, .xls or .ppt alike: only the name tells them apart. */
const LEGACY_OFFICE: Record<string, EvidenceMediaType> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** An OOXML package is a zip whose parts live under word/, xl/ or ppt/. */
const OOXML_FOLDERS: [string, EvidenceMediaType][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

function startsWith(head: Buffer, signature: Buffer, at = 0): boolean {
  return head.length >= at + signature.length && head.subarray(at, at + signature.length).equals(signature);
}

/** The brands of an `ftyp` box at the start: the major brand and the compatible ones. */
function ftypBrands(head: Buffer): string[] | null {
  if (head.length < 16 || head.toString('latin1', 4, 8) !== 'ftyp') return null;
  const size = Math.min(head.readUInt32BE(0), head.length, 4096);
  if (size < 16) return null;
  const brands = [head.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(head.toString('latin1', at, at + 4));
  return brands;
}

function isHeic(head: Buffer): boolean {
  const brands = ftypBrands(head);
  if (!brands) return false;
  if (brands.some((b) => HEIC_BRANDS.has(b))) return true;
  return brands.some((b) => HEIF_BRANDS.has(b)) && !brands.some((b) => AVIF_BRANDS.has(b));
}

/** The names of the zip entries whose headers lie in the head (local headers and, for a small file, the central directory). */
function zipEntryNames(head: Buffer): string[] {
  const names: string[] = [];
  for (const [signature, lengthAt, nameAt] of [
    [ZIP_LOCAL, 26, 30],
    [ZIP_CENTRAL, 28, 46],
  ] as const) {
    for (let at = head.indexOf(signature); at >= 0; at = head.indexOf(signature, at + 4)) {
      if (at + nameAt > head.length) break;
      const length = head.readUInt16LE(at + lengthAt);
      if (at + nameAt + length > head.length) break;
      names.push(head.toString('utf8', at + nameAt, at + nameAt + length));
    }
  }
  return names;
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/**
 * The media type of a file, told from its first bytes (HEAD_BYTES of them suffice), never from what
 * the client says; null when it is none of the evidence types. The name is consulted only to tell a
 * legacy Word, Excel or PowerPoint file apart, which share one container format.
 */
export function sniffMediaType(head: Buffer, fileName: string): EvidenceMediaType | null {
  if (startsWith(head, Buffer.from('%PDF-', 'latin1'))) return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (startsWith(head, PNG)) return 'image/png';
  if (isHeic(head)) return 'image/heic';
  if (startsWith(head, CFB)) return LEGACY_OFFICE[extensionOf(fileName)] ?? null;
  if (startsWith(head, ZIP_LOCAL)) {
    const names = zipEntryNames(head);
    for (const [folder, type] of OOXML_FOLDERS) if (names.some((n) => n.startsWith(folder))) return type;
  }
  return null;
}

/** The media types whose EXIF data is read. */
export function isPhoto(type: EvidenceMediaType): boolean {
  return type === 'image/jpeg' || type === 'image/heic';
}
