import { sniffMediaType } from './sniff';

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const text = (s: string): Buffer => Buffer.from(s, 'latin1');

/** An ISO BMFF `ftyp` box with these brands, followed by a little more. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.alloc(32)]);
}

/** A zip's local file header for an entry of this name (stored, empty). */
function zipEntry(name: string): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name, 'utf8')]);
}
const zip = (...names: string[]): Buffer => Buffer.concat(names.map(zipEntry));

const CFB = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0);

describe('sniffMediaType', () => {
  it('tells PDF, JPEG and PNG from their signatures, whatever the name says', () => {
    expect(sniffMediaType(text('%PDF-1.7\n%...'), 'a.jpg')).toBe('application/pdf');
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0), 'photo.png')).toBe('image/jpeg');
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), 'x.pdf')).toBe(
      'image/png',
    );
  });

  it.each(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'])('tells HEIC by its ftyp brand %s', (brand) => {
    expect(sniffMediaType(ftyp(brand), 'IMG_0001.HEIC')).toBe('image/heic');
  });

  it('takes the generic HEIF brand mif1 as HEIC, unless the file says it is AVIF', () => {
    expect(sniffMediaType(ftyp('mif1', 'mif1', 'heic'), 'a.heic')).toBe('image/heic');
    expect(sniffMediaType(ftyp('mif1', 'miaf'), 'a.heic')).toBe('image/heic');
    expect(sniffMediaType(ftyp('avif', 'mif1', 'miaf'), 'a.heic')).toBeNull();
    expect(sniffMediaType(ftyp('mif1', 'avif'), 'a.heic')).toBeNull();
  });

  it('refuses other ISO media files (an MP4 video)', () => {
    expect(sniffMediaType(ftyp('isom', 'iso2', 'mp41'), 'clip.heic')).toBeNull();
  });

  it('tells a legacy Office file by its extension among .doc, .xls and .ppt only', () => {
    expect(sniffMediaType(CFB, '合同.doc')).toBe('application/msword');
    expect(sniffMediaType(CFB, 'LEDGER.XLS')).toBe('application/vnd.ms-excel');
    expect(sniffMediaType(CFB, 'slides.ppt')).toBe('application/vnd.ms-powerpoint');
    expect(sniffMediaType(CFB, 'installer.msi')).toBeNull();
    expect(sniffMediaType(CFB, 'no-extension')).toBeNull();
  });

  it('tells an OOXML document by the folder of its parts, not by its name', () => {
    const word = zip('[Content_Types].xml', '_rels/.rels', 'word/document.xml');
    expect(sniffMediaType(word, 'a.xlsx')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(sniffMediaType(zip('[Content_Types].xml', 'xl/workbook.xml'), 'a.docx')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(sniffMediaType(zip('[Content_Types].xml', 'ppt/presentation.xml'), 'a')).toBe(
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    );
  });

  it('refuses a zip that is no Office document, and a truncated entry name', () => {
    expect(sniffMediaType(zip('readme.txt', 'src/word/x.xml'), 'a.docx')).toBeNull();
    expect(sniffMediaType(zipEntry('word/document.xml').subarray(0, 36), 'a.docx')).toBeNull();
  });

  it('refuses anything else: text, an executable, an empty file, a lone signature byte', () => {
    expect(sniffMediaType(text('hello, world'), 'a.pdf')).toBeNull();
    expect(sniffMediaType(bytes(0x4d, 0x5a, 0x90, 0), 'a.doc')).toBeNull();
    expect(sniffMediaType(Buffer.alloc(0), 'a.pdf')).toBeNull();
    expect(sniffMediaType(bytes(0xff, 0xd8), 'a.jpg')).toBeNull();
    expect(sniffMediaType(text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.png')).toBeNull();
  });
});
