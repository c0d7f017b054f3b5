import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Radio } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  SUPERVISION_STATUS_LABELS,
  SUPERVISION_STATUSES,
  type SupervisionStatus,
} from '../../../../libs/domain/src/supervision';
import { api, type Schemas } from '../api/client';
import { useListPage } from '../api/use-list-page';
import { regionName } from '../regions';

type Item = Schemas['SupervisionItemView'];

const ALL = 'all';

/** Who owns an item: their name, else their id, else the role that owns it. */
export function ownerText(item: Item): string {
  return item.ownerName ?? item.ownerId ?? item.ownerRoleLabel;
}

/** 督办: the caller's items by status, each opening its page with its steps. */
export function Supervision() {
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = (SUPERVISION_STATUSES as readonly string[]).includes(statusParam ?? '')
    ? (statusParam as SupervisionStatus)
    : undefined;
  const cursor = params.get('cursor') ?? undefined;
  const query = useMemo(() => ({ status, cursor }), [status, cursor]);

  const { rows, next, loading, error } = useListPage(
    () => api.GET('/api/supervision-items', { params: { query } }),
    [query],
  );

  const show = (changes: { status?: string; cursor?: string }) => {
    const nextParams = new URLSearchParams();
    const s = 'status' in changes ? changes.status : status;
    if (s && s !== ALL) nextParams.set('status', s);
    if (changes.cursor) nextParams.set('cursor', changes.cursor);
    setParams(nextParams);
  };

  const columns: ProColumns<Item>[] = [
    {
      title: '督办事项',
      dataIndex: 'ruleLabel',
      render: (_, i) => <Link to={`/supervision/${i.itemId}`}>{i.ruleLabel}</Link>,
    },
    {
      title: '项目',
      dataIndex: 'projectName',
      render: (_, i) => <Link to={`/projects/${i.projectId}`}>{i.projectName}</Link>,
    },
    { title: '区域', dataIndex: 'region', render: (_, i) => regionName(i.region) },
    { title: '责任人', dataIndex: 'ownerName', render: (_, i) => ownerText(i) },
    { title: '办结期限', dataIndex: 'dueDate' },
    { title: '状态', dataIndex: 'status', render: (_, i) => i.status.label },
    {
      title: '待我办理',
      dataIndex: 'availableSteps',
      render: (_, i) => (i.availableSteps.length ? i.availableSteps.map((s) => s.label).join('、') : '—'),
    },
    { title: '回头看批次', dataIndex: 'openedIn' },
  ];

  return (
    <PageContainer title="督办">
      {/* Radio buttons rather than tabs: they wrap at a phone's width, where tabs hide some behind a menu. */}
      <div role="radiogroup" aria-label="状态" style={{ marginBottom: 16 }}>
        <Radio.Group
          optionType="button"
          value={status ?? ALL}
          onChange={(e) => show({ status: String(e.target.value) })}
          style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
          options={[
            { value: ALL, label: '全部' },
            ...SUPERVISION_STATUSES.map((s) => ({ value: s, label: SUPERVISION_STATUS_LABELS[s] })),
          ]}
        />
      </div>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <ProTable<Item>
        rowKey="itemId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload: false, setting: true }}
        toolBarRender={() => [
          <Button key="first" disabled={!cursor} onClick={() => show({})}>
            首页
          </Button>,
          <Button key="next" disabled={!next} onClick={() => show({ cursor: next })}>
            下一页
          </Button>,
        ]}
      />
    </PageContainer>
  );
}
