import { Tag } from 'antd';
import type { ImportStatus } from '../../api/ledger-routes';

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  analysing: '试导入中',
  analysed: '待确认',
  importing: '导入中',
  done: '已完成',
  failed: '失败',
};
/** Solid and dark enough for white text to pass WCAG AA (antd's light presets do not). */
const COLOURS: Record<ImportStatus, string> = {
  analysing: '#0958d9',
  analysed: '#ad4e00',
  importing: '#0958d9',
  done: '#237804',
  failed: '#a8071a',
};

/** An import's status in words, coloured as antd's tags colour states. */
export function ImportStatusTag(props: { status: ImportStatus }) {
  return <Tag color={COLOURS[props.status]}>{IMPORT_STATUS_LABELS[props.status] ?? props.status}</Tag>;
}
