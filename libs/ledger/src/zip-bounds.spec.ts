import ExcelJS from 'exceljs';
import { deflated, workbookBomb, zeros, zipOf } from '../../../test/support/zip';
import { readLedger } from './read';
import { assertWorkbookBounded, MAX_WORKBOOK_INFLATED_BYTES, WorkbookBoundsError } from './zip-bounds';

const MiB = 1024 * 1024;

const reason = (zip: Buffer, limit?: number): string | null => {
  try {
    assertWorkbookBounded(zip, limit);
    return null;
  } catch (e) {
    return e instanceof WorkbookBoundsError ? e.reason : `other: ${String(e)}`;
  }
};

describe('the bounds of a workbook, measured before it is read', () => {
  it('lets a workbook exceljs wrote through', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRows([
      ['项目名称', '投资方'],
      ...Array.from({ length: 500 }, (_, i) => [`项目${i}`, `企业${i}`]),
    ]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    expect(reason(file)).toBeNull();
  });

  it('refuses parts that inflate past the limit, whatever size their headers claim', () => {
    expect(reason(zipOf([zeros('a.xml', 3)]), 2 * MiB)).toBe('too_large');
    // The directory says 100 bytes; inflating says otherwise.
    expect(reason(zipOf([zeros('a.xml', 3, 100)]), 2 * MiB)).toBe('too_large');
    // Two parts under the limit each, over it together.
    expect(
      reason(zipOf([zeros('a.xml', 1, 10), zeros('b.xml', 1, 10), zeros('c.xml', 1, 10)]), 2 * MiB),
    ).toBe('too_large');
    expect(reason(zipOf([zeros('a.xml', 1), deflated('b.xml', '<x/>')]), 2 * MiB)).toBeNull();
    // A claim past the limit is refused before anything is inflated.
    expect(reason(zipOf([{ ...deflated('a.xml', 'x'), declared: 3 * MiB }]), 2 * MiB)).toBe('too_large');
  });

  it('calls what is no zip archive malformed', () => {
    expect(reason(Buffer.from('PK\u0003\u0004 and then nothing much'))).toBe('malformed');
    const file = zipOf([deflated('a.xml', '<x/>')]);
    // The directory's offset pointing past the end.
    file.writeUInt32LE(0x7fffffff, file.length - 6);
    expect(reason(file)).toBe('malformed');
  });

  it('answers a workbook bomb with the reason, before exceljs inflates it', async () => {
    const bomb = workbookBomb(MAX_WORKBOOK_INFLATED_BYTES / MiB + 8);
    expect(bomb.length).toBeLessThan(2 * MiB);
    await expect(readLedger(bomb, '台账.xlsx')).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});
