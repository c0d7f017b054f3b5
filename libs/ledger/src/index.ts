// The Excel 台账: its columns, reading a bureau's sheet into project histories, and writing it back.
export * from './columns';
export * from './values';
export { regionCode, regionName, regionLabel } from './regions';
export {
  readLedger,
  LedgerReadError,
  DEFAULT_MAX_LEDGER_ROWS,
  ledgerFileKind,
  type LedgerSheet,
  type LedgerRowCells,
  type LedgerReadErrorCode,
  type ReadLedgerOptions,
  type LedgerFileKind,
} from './read';
export {
  rowToHistory,
  problemsFromRefusal,
  ledgerKey,
  rowHash,
  type CellProblem,
  type PeopleLookup,
  type RowToHistoryOptions,
  type RowHistory,
} from './history';
export {
  writeLedger,
  ledgerSheetColumns,
  ledgerCells,
  ledgerRowFromState,
  markProblems,
  canonicalHeader,
  PROBLEMS_HEADER,
  type LedgerRow,
  type LedgerNames,
  type WriteLedgerOptions,
} from './write';
export { assertWorkbookBounded, MAX_WORKBOOK_INFLATED_BYTES, WorkbookBoundsError } from './zip-bounds';
