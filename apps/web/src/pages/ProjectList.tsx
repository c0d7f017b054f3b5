import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Badge, Button, Form, Input, InputNumber, Select, Space, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { SIZE_BAND_LABELS } from '../../../../libs/domain/src/money';
import { STAGE_LABELS } from '../../../../libs/domain/src/stages';
import { LIGHT_LABELS } from '../../../../libs/domain/src/alerts';
import { api, problemText, type Schemas } from '../api/client';
import { amountText, exactYuanText } from '../format';
import { useMe } from '../me';
import { regionName, regionWithDistricts } from '../regions';

type Project = Schemas['ProjectView'];
type Query = NonNullable<import('../api/schema').paths['/api/projects']['get']['parameters']['query']>;
type Sort = NonNullable<Query['sort']>;

export const LIGHT_COLOURS = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' } as const;

/** 亮灯 as a coloured dot with its name. */
export function LightDot({ light }: { light: Project['light'] }) {
  return <Badge color={LIGHT_COLOURS[light.code]} text={light.label} />;
}

/** An amount in 万元/亿元 with the exact yuan on hover. */
export function Amount({ yuan }: { yuan: string | null | undefined }) {
  if (yuan == null) return <>—</>;
  return (
    <Tooltip title={exactYuanText(yuan)}>
      <span data-yuan={yuan}>{amountText(yuan)}</span>
    </Tooltip>
  );
}

const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : undefined);

/** The list's query as the URL holds it, so that a link shows the same list. */
function queryOf(params: URLSearchParams): Query {
  const year = params.get('signingYear');
  const overdue = params.get('overdue');
  return {
    stage: list(params.get('stage')) as Query['stage'],
    light: list(params.get('light')) as Query['light'],
    region: params.get('region') ?? undefined,
    industryChain: params.get('industryChain') ?? undefined,
    q: params.get('q') ?? undefined,
    overdue: overdue === 'true' ? true : overdue === 'false' ? false : undefined,
    signingYear: year ? Number(year) : undefined,
    sizeBand: (params.get('sizeBand') ?? undefined) as Query['sizeBand'],
    sort: (params.get('sort') ?? undefined) as Sort | undefined,
    cursor: params.get('cursor') ?? undefined,
    limit: 20,
  };
}

const SORT_FIELDS: Record<string, string> = {
  name: 'name',
  signedDate: 'signedDate',
  plannedInvestment: 'investment',
};

export function ProjectList() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const [rows, setRows] = useState<Project[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();

  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.GET('/api/projects', { params: { query } }).then(({ data, error: problem }) => {
      if (!live) return;
      setLoading(false);
      setError(data ? null : problemText(problem));
      setRows(data?.items ?? []);
      setNext(data?.nextCursor ?? undefined);
    });
    return () => {
      live = false;
    };
  }, [query]);

  useEffect(() => {
    form.setFieldsValue({ ...query, stage: query.stage ?? [], light: query.light ?? [] });
  }, [form, query]);

  /** Changes the URL's filter; any change starts again from the first page. */
  const update = (changes: Record<string, string | undefined>, keepCursor = false) => {
    const nextParams = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') nextParams.delete(k);
      else nextParams.set(k, v);
    }
    if (!keepCursor) nextParams.delete('cursor');
    setParams(nextParams);
  };

  const applyFilters = (values: Record<string, unknown>) => {
    const text = (v: unknown) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v) || undefined
        : undefined;
    update({
      stage: (values.stage as string[] | undefined)?.join(',') || undefined,
      light: (values.light as string[] | undefined)?.join(',') || undefined,
      region: text(values.region),
      industryChain: text(values.industryChain),
      q: text(values.q),
      overdue: text(values.overdue),
      signingYear: text(values.signingYear),
      sizeBand: text(values.sizeBand),
    });
  };

  const regionChoices = (me?.regions ?? []).flatMap(regionWithDistricts);
  const sortOrder = (field: string) => {
    const s = query.sort ?? '-updatedAt';
    if (s === SORT_FIELDS[field]) return 'ascend' as const;
    if (s === `-${SORT_FIELDS[field]}`) return 'descend' as const;
    return null;
  };

  const columns: ProColumns<Project>[] = [
    {
      title: '项目名称',
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link>,
    },
    { title: '投资方', dataIndex: ['investor', 'name'] },
    { title: '区域', dataIndex: 'region', render: (_, p) => regionName(p.region) },
    { title: '产业链', dataIndex: 'industryChain' },
    { title: '阶段', dataIndex: ['stage', 'label'] },
    {
      title: '计划投资',
      dataIndex: 'plannedInvestment',
      sorter: true,
      sortOrder: sortOrder('plannedInvestment'),
      align: 'right',
      render: (_, p) => <Amount yuan={p.plannedInvestment} />,
    },
    {
      title: '合同投资',
      dataIndex: 'contractInvestment',
      align: 'right',
      render: (_, p) => <Amount yuan={p.contractInvestment} />,
    },
    {
      title: '签约日期',
      dataIndex: 'signedDate',
      sorter: true,
      sortOrder: sortOrder('signedDate'),
      render: (_, p) => (p.dates as Record<string, string>).signed ?? '—',
    },
    { title: '亮灯', dataIndex: 'light', render: (_, p) => <LightDot light={p.light} /> },
    {
      title: '逾期',
      dataIndex: 'overdue',
      render: (_, p) => (p.overdue ? <Typography.Text type="danger">逾期</Typography.Text> : '否'),
    },
    { title: '服务专员', dataIndex: 'serviceOfficerId', render: (_, p) => p.serviceOfficerId ?? '—' },
  ];

  return (
    <PageContainer title="项目台账">
      <Form form={form} layout="inline" onFinish={applyFilters} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item name="q" label="关键词">
          <Input allowClear placeholder="项目或投资方" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="stage" label="阶段">
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 140 }}
            options={Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="region" label="区域">
          <Select
            allowClear
            style={{ width: 160 }}
            options={regionChoices.map((c) => ({ value: c, label: regionName(c) }))}
          />
        </Form.Item>
        <Form.Item name="light" label="亮灯">
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 120 }}
            options={Object.entries(LIGHT_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="overdue" label="逾期">
          <Select
            allowClear
            style={{ width: 90 }}
            options={[
              { value: true, label: '是' },
              { value: false, label: '否' },
            ]}
          />
        </Form.Item>
        <Form.Item name="industryChain" label="产业链">
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="signingYear" label="签约年度">
          <InputNumber min={2000} max={2100} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="sizeBand" label="规模">
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(SIZE_BAND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams());
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <ProTable<Project>
        rowKey="projectId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload: false, setting: true }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = SORT_FIELDS[String(s?.field ?? '')];
          update({ sort: field && s?.order ? `${s.order === 'descend' ? '-' : ''}${field}` : undefined });
        }}
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
