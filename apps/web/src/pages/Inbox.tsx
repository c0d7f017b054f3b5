import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Form, Select, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { shanghaiDate } from '../../../../libs/domain/src/dates';
import { api, type Schemas } from '../api/client';
import { useListPage } from '../api/use-list-page';
import { FilterButtons } from '../components/FilterButtons';
import { withFilters } from '../url-filters';
import type { paths } from '../api/schema';
import { newIdempotencyKey, sendWrite } from '../api/write';
import { LightDot } from './ProjectList';

type AlertRow = Schemas['AlertView'];
type Query = NonNullable<paths['/api/alerts']['get']['parameters']['query']>;

const STATUS_OPTIONS = [
  { value: 'all', label: '全部' },
  { value: 'unacknowledged', label: '未确认' },
  { value: 'acknowledged', label: '已确认' },
];
const OPEN_OPTIONS = [
  { value: 'true', label: '未办结' },
  { value: 'false', label: '已办结' },
];

/** The inbox's query as the URL holds it, so that a link shows the same list. */
function queryOf(params: URLSearchParams): Query {
  const open = params.get('open');
  const status = params.get('status');
  return {
    status: STATUS_OPTIONS.some((o) => o.value === status) ? (status as Query['status']) : undefined,
    open: open === 'true' ? true : open === 'false' ? false : undefined,
    cursor: params.get('cursor') ?? undefined,
  };
}

/** 我的待办: the alerts and escalations addressed to the caller, each acknowledged from here. */
export function Inbox() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const [sending, setSending] = useState<string | null>(null);
  // One Idempotency-Key per alert until its acknowledgement succeeds: a double click or a retry is one write.
  const keys = useRef(new Map<string, string>());
  const [form] = Form.useForm<{ status?: string; open?: string }>();

  const { rows, setRows, next, loading, error, setError } = useListPage(
    () => api.GET('/api/alerts', { params: { query } }),
    [query],
  );

  useEffect(() => {
    form.setFieldsValue({
      status: query.status ?? 'all',
      open: query.open === undefined ? undefined : String(query.open),
    });
  }, [form, query]);

  const update = (changes: Record<string, string | undefined>, keepCursor = false) => {
    // 全部 is the list without a status filter.
    const shown = changes.status === 'all' ? { ...changes, status: undefined } : changes;
    setParams(withFilters(params, shown, keepCursor));
  };

  const acknowledge = async (alert: AlertRow) => {
    const key = keys.current.get(alert.id) ?? newIdempotencyKey();
    keys.current.set(alert.id, key);
    setSending(alert.id);
    const outcome = await sendWrite(
      (headers) =>
        api.POST('/api/alerts/{id}/acknowledgement', {
          params: { path: { id: alert.id } },
          body: {},
          headers,
        }),
      { idempotencyKey: key },
    );
    setSending(null);
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    keys.current.delete(alert.id);
    setError(null);
    setRows((current) => current.map((r) => (r.id === alert.id ? outcome.data : r)));
  };

  const columns: ProColumns<AlertRow>[] = [
    {
      title: '项目',
      dataIndex: 'projectName',
      render: (_, a) => <Link to={`/projects/${a.projectId}`}>{a.projectName}</Link>,
    },
    { title: '类型', dataIndex: 'kindLabel' },
    { title: '规则', dataIndex: 'ruleLabel' },
    { title: '应完成日期', dataIndex: 'dueDate', render: (_, a) => a.dueDate ?? '—' },
    { title: '级别', dataIndex: 'rung', render: (_, a) => `第 ${a.rung} 级` },
    {
      title: '发给',
      dataIndex: 'addressee',
      render: (_, a) => (typeof a.addressee.label === 'string' ? a.addressee.label : '—'),
    },
    { title: '亮灯', dataIndex: 'light', render: (_, a) => <LightDot light={a.light} /> },
    { title: '发出日期', dataIndex: 'raisedAt', render: (_, a) => shanghaiDate(a.raisedAt) },
    {
      title: '办结',
      dataIndex: 'open',
      render: (_, a) => (a.open ? <Typography.Text type="danger">未办结</Typography.Text> : '已办结'),
    },
    {
      title: '确认',
      dataIndex: 'acknowledgedAt',
      // Kept in view at a desktop's width, where the other columns scroll.
      fixed: 'right',
      render: (_, a) =>
        a.acknowledgedAt ? (
          <Typography.Text data-testid="acknowledged">
            已确认 {shanghaiDate(a.acknowledgedAt)}
          </Typography.Text>
        ) : (
          <Button
            size="small"
            type="primary"
            loading={sending === a.id}
            aria-label={`确认 ${a.projectName} ${a.ruleLabel}`}
            onClick={() => void acknowledge(a)}
          >
            确认
          </Button>
        ),
    },
  ];

  return (
    <PageContainer title="我的待办">
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 8, marginBottom: 16 }}
        onFinish={(values) => update({ status: values.status, open: values.open })}
      >
        <Form.Item name="status" label="确认状态">
          <Select style={{ width: 110 }} options={STATUS_OPTIONS} />
        </Form.Item>
        <Form.Item name="open" label="办结情况">
          <Select allowClear style={{ width: 110 }} options={OPEN_OPTIONS} />
        </Form.Item>
        <FilterButtons form={form} setParams={setParams} />
      </Form>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <ProTable<AlertRow>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload: false, setting: true }}
        toolBarRender={() => [
          <Button key="first" disabled={!query.cursor} onClick={() => update({})}>
            首页
          </Button>,
          <Button key="next" disabled={!next} onClick={() => update({ cursor: next }, true)}>
            下一页
          </Button>,
        ]}
      />
    </PageContainer>
  );
}
