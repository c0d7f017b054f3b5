import { DownloadOutlined } from '@ant-design/icons';
import { Button, message } from 'antd';
import { useState } from 'react';
import { problemText } from '../../api/client';
import { download } from '../../api/ledger-routes';
import { chinaToday } from '../project-actions/TransitionForm';

/** The URL's parameters that page the list: the export is the whole filtered list, in its order. */
const NOT_FILTERS = ['cursor', 'limit'];

/** The export's address for the 台账's filters as the page's URL holds them. */
export function exportPath(params: URLSearchParams): string {
  const filters = new URLSearchParams(params);
  for (const key of NOT_FILTERS) filters.delete(key);
  const query = filters.toString();
  return `/api/projects/export.xlsx${query ? `?${query}` : ''}`;
}

/** 导出: the 台账 of the current filters as an .xlsx in the layout the import reads. */
export function ExportButton(props: { params: URLSearchParams }) {
  const [busy, setBusy] = useState(false);
  const [messages, holder] = message.useMessage();
  const run = async () => {
    setBusy(true);
    const outcome = await download(
      exportPath(props.params),
      `项目台账-${chinaToday().format('YYYY-MM-DD')}.xlsx`,
    );
    setBusy(false);
    if (!outcome.ok) void messages.error(`导出失败:${problemText(outcome.error)}`);
  };
  return (
    <>
      {holder}
      <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()}>
        导出
      </Button>
    </>
  );
}
