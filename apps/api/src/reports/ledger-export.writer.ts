import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ledgerCells, ledgerRowFromState, ledgerSheetColumns } from '@app/ledger';
import type { ExportBatch } from './ledger-export.service';

/** Resolves once the reader has taken what was written; rejects if it went away meanwhile. */
function drained(output: Writable): Promise<void> {
  if (output.destroyed) return Promise.reject(new Error('the reader went away'));
  if (!output.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      output.off('drain', onDrain);
      output.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the reader went away'));
    output.on('drain', onDrain);
    output.on('close', onClose);
  });
}

/**
 * The 台账 in the layout the import reads (libs/ledger), written as it is read: each batch's rows are
 * committed to the zip stream and let go, so a ledger of 100,000 projects never sits in memory.
 * Resolves with the number of rows; rejects when the reader goes away before the end.
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
    // A slow reader holds the next batch back instead of its rows piling up in the zip's buffers,
    // and one that left stops the reading.
    await drained(output);
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
