import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ledgerCells, ledgerRowFromState, ledgerSheetColumns } from '@app/ledger';
import type { ExportBatch } from './ledger-export.service';

/**
 * The 台账 in the layout the import reads (libs/ledger), written as it is read: each batch's rows are
 * committed to the zip stream and let go, so a ledger of 100,000 projects never sits in memory.
 */
export async function streamLedger(batches: AsyncIterable<ExportBatch>, output: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('项目台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ledgerSheetColumns();
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const { states, names } of batches) {
    for (const state of states) {
      sheet.addRow(ledgerCells(ledgerRowFromState(state, { people: (id) => names.get(id) }))).commit();
      count++;
    }
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
