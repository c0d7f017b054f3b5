import { Tag } from 'antd';
import type { ImportStatus } from '../../api/ledger-routes';

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  analysing: '试导入中',
  analysed: '待确认',
  importing: '导入中',
  done: '已完成',
  failed: '失败',
};
const COLOURS: Record<ImportStatus, string> = {
  analysing: 'processing',
  analysed: 'warning',
  importing: 'processing',
  done: 'success',
  failed: 'error',
};

/** An import's status in words, coloured as antd's tags colour states. */
export function ImportStatusTag(props: { status: ImportStatus }) {
  return <Tag color={COLOURS[props.status]}>{IMPORT_STATUS_LABELS[props.status] ?? props.status}</Tag>;
}
