import { UploadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, Form, Result, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ledgerRoutes, type ImportView } from '../../api/ledger-routes';
import { useListPage } from '../../api/use-list-page';
import { newIdempotencyKey, sendWrite } from '../../api/write';
import { useMe } from '../../me';
import { momentText } from '../duplicates/Duplicates';
import { ImportStatusTag } from './ImportStatusTag';

/** What the file input takes: Excel workbooks and CSV (UTF-8 or GBK). */
const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

/** Whether the caller may import: the roles that may record an imported history. */
export const mayImport = (commands: readonly string[] | undefined) =>
  (commands ?? []).includes('RecordHistory');

/** 导入台账: the caller's imports, newest first, and 上传 of a new ledger for its dry run. */
export function Imports() {
  const me = useMe();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { rows, loading, error } = useListPage(() => ledgerRoutes.imports(), []);

  if (me && !mayImport(me.commands)) {
    return <Result status="403" title="无权导入台账" subTitle="只有服务专员和首席服务官可以导入台账" />;
  }

  const upload = async () => {
    if (!file || sending) return;
    setSending(true);
    setProblem(null);
    const outcome = await sendWrite((headers) => ledgerRoutes.upload(file, {}, headers), {
      idempotencyKey: key,
    });
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      void navigate(`/imports/${outcome.data.importId}`);
      return;
    }
    setProblem([outcome.message, ...outcome.fieldErrors.map((e) => e.message)].join(';'));
  };

  const columns: ProColumns<ImportView>[] = [
    {
      title: '文件',
      key: 'file',
      render: (_, i) => <Link to={`/imports/${i.importId}`}>{i.fileName}</Link>,
    },
    { title: '工作表', key: 'sheet', render: (_, i) => i.sheet ?? '—' },
    { title: '导入人', key: 'by', render: (_, i) => i.createdByName ?? i.createdBy },
    { title: '上传时间', key: 'at', render: (_, i) => momentText(i.createdAt) },
    { title: '状态', key: 'status', render: (_, i) => <ImportStatusTag status={i.status} /> },
    { title: '行数', key: 'rows', align: 'right', render: (_, i) => i.counts.rows },
    { title: '可导入', key: 'good', align: 'right', render: (_, i) => i.counts.good },
    { title: '有错误', key: 'bad', align: 'right', render: (_, i) => i.counts.bad },
    { title: '已导入', key: 'imported', align: 'right', render: (_, i) => i.counts.imported },
  ];

  return (
    <PageContainer title="导入台账">
      <Card title="上传台账" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>
          支持 Excel 工作簿(.xlsx)和 CSV(UTF-8 或 GBK
          编码)。上传后先试导入:不写入任何数据,逐行列出问题,确认后再导入无误的行。
        </Typography.Paragraph>
        <Form layout="vertical" onFinish={() => void upload()}>
          <Form.Item label="台账文件" htmlFor="ledger-file" extra={file ? `已选择:${file.name}` : undefined}>
            <input
              id="ledger-file"
              ref={input}
              type="file"
              accept={ACCEPT}
              style={{ maxWidth: '100%' }}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setProblem(null);
              }}
            />
          </Form.Item>
          {problem && (
            <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />
          )}
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              icon={<UploadOutlined />}
              loading={sending}
              disabled={!file}
            >
              上传并试导入
            </Button>
          </Space>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <ProTable<ImportView>
        headerTitle="我的导入"
        rowKey="importId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
      />
    </PageContainer>
  );
}
