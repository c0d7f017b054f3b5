import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Form, Select, Space } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DUPLICATE_MATCH_LABELS } from '../../../../../libs/domain/src/duplicates';
import { ledgerRoutes, type DuplicatePairView } from '../../api/ledger-routes';
import { useListPage } from '../../api/use-list-page';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { withFilters } from '../../url-filters';

/** An instant as officers read it: its date and minute in China. */
export function momentText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // sv-SE writes 2026-11-30 14:05, the ISO order; the zone is China's, whatever the browser's.
  return d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
}

const AT_LABELS: Record<string, string> = { registration: '登记', signing: '签约', import: '导入' };

/** 疑似重复: the pairs someone confirmed are not one project counted twice, for leaders to check. */
export function Duplicates() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<{ region?: string }>();
  const query = useMemo(
    () => ({
      region: params.get('region') ?? undefined,
      cursor: params.get('cursor') ?? undefined,
    }),
    [params],
  );
  const { rows, next, loading, error } = useListPage(() => ledgerRoutes.duplicates(query), [query]);

  const project = (p: DuplicatePairView['project']) => (
    <Link to={`/projects/${p.projectId}`}>{p.name ?? p.projectId}</Link>
  );
  const columns: ProColumns<DuplicatePairView>[] = [
    { title: '项目', key: 'project', render: (_, p) => project(p.project) },
    {
      title: '区域',
      key: 'region',
      render: (_, p) => (p.project.region ? regionName(p.project.region) : '—'),
    },
    { title: '疑似重复于', key: 'of', render: (_, p) => project(p.of) },
    { title: '相似之处', key: 'match', render: (_, p) => p.matchLabel || DUPLICATE_MATCH_LABELS[p.match] },
    { title: '确认理由', key: 'reason', dataIndex: 'reason' },
    { title: '环节', key: 'point', render: (_, p) => AT_LABELS[p.point] ?? p.point },
    { title: '确认人', key: 'by', render: (_, p) => p.confirmedBy.name ?? p.confirmedBy.id },
    { title: '确认时间', key: 'when', render: (_, p) => momentText(p.confirmedAt) },
  ];

  const regionChoices = (me?.regions ?? []).flatMap(regionWithDistricts);
  return (
    <PageContainer title="疑似重复" content="登记、签约或导入时被提示疑似重复、经确认不是重复的项目">
      <Form
        form={form}
        layout="inline"
        initialValues={{ region: query.region }}
        onFinish={(v) => setParams(withFilters(params, { region: v.region || undefined }))}
        style={{ rowGap: 8, marginBottom: 16 }}
      >
        <Form.Item name="region" label="区域">
          <Select
            allowClear
            style={{ width: 160 }}
            options={regionChoices.map((c) => ({ value: c, label: regionName(c) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <ProTable<DuplicatePairView>
        rowKey="eventId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
        toolBarRender={() => [
          <Space key="pages">
            <Button disabled={!query.cursor} onClick={() => setParams(withFilters(params, {}))}>
              首页
            </Button>
            <Button
              disabled={!next}
              onClick={() => setParams(withFilters(params, { cursor: next ?? undefined }, true))}
            >
              下一页
            </Button>
          </Space>,
        ]}
      />
    </PageContainer>
  );
}
