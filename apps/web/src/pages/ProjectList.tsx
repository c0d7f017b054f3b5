import { PageContainer, ProTable, type ColumnsState, type ProColumns } from '@ant-design/pro-components';
import {
  Badge,
  Button,
  Form,
  Grid,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { SIZE_BAND_LABELS } from '../../../../libs/domain/src/money';
import { STAGE_LABELS } from '../../../../libs/domain/src/stages';
import { LIGHT_LABELS } from '../../../../libs/domain/src/alerts';
import { INVESTOR_FLAG_LABELS, INVESTOR_TYPE_LABELS } from '../../../../libs/domain/src/attributes';
import { api, type Schemas } from '../api/client';
import { useListPage } from '../api/use-list-page';
import { FilterButtons } from '../components/FilterButtons';
import { ExportButton } from './reports/ExportButton';
import { PersonPicker } from '../components/PersonPicker';
import { amountText, exactYuanText } from '../format';
import { withFilters } from '../url-filters';
import { useMe } from '../me';
import { regionName, regionWithDistricts } from '../regions';

type Project = Schemas['ProjectView'];
type Totals = Schemas['ProjectTotalsView'];
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
const yesNo = (v: string | null) => (v === 'true' ? true : v === 'false' ? false : undefined);

/** Date and month ranges a link (the 驾驶舱's figures) may carry; shown as tags, each removable. */
const PERIOD_FILTERS: { key: keyof Query; label: string }[] = [
  { key: 'signedFrom', label: '签约日期起' },
  { key: 'signedTo', label: '签约日期止' },
  { key: 'landedFrom', label: '落地日期起' },
  { key: 'landedTo', label: '落地日期止' },
  { key: 'startedFrom', label: '开工日期起' },
  { key: 'startedTo', label: '开工日期止' },
  { key: 'inStatsFrom', label: '入统日期起' },
  { key: 'inStatsTo', label: '入统日期止' },
  { key: 'fundsFrom', label: '资金到位月份起' },
  { key: 'fundsTo', label: '资金到位月份止' },
  { key: 'stageOn', label: '阶段与灯色截至' },
];

/** The list's query as the URL holds it, so that a link shows the same list. */
function queryOf(params: URLSearchParams): Query {
  const year = params.get('signingYear');
  return {
    stage: list(params.get('stage')) as Query['stage'],
    light: list(params.get('light')) as Query['light'],
    region: params.get('region') ?? undefined,
    industryChain: params.get('industryChain') ?? undefined,
    q: params.get('q') ?? undefined,
    overdue: yesNo(params.get('overdue')),
    signingYear: year ? Number(year) : undefined,
    sizeBand: (params.get('sizeBand') ?? undefined) as Query['sizeBand'],
    industrial: yesNo(params.get('industrial')),
    investorType: list(params.get('investorType')) as Query['investorType'],
    investorFlag: list(params.get('investorFlag')) as Query['investorFlag'],
    park: params.get('park') ?? undefined,
    serviceOfficerId: params.get('serviceOfficerId') ?? undefined,
    chiefServiceOfficerId: params.get('chiefServiceOfficerId') ?? undefined,
    ...Object.fromEntries(
      PERIOD_FILTERS.flatMap(({ key }) => (params.get(key) ? [[key, params.get(key)]] : [])),
    ),
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

/** Each stage's date as a column, in the order a project reaches them. */
const DATE_COLUMNS: { stage: keyof typeof STAGE_LABELS; title: string }[] = [
  { stage: 'lead', title: '线索日期' },
  { stage: 'negotiating', title: '在谈日期' },
  { stage: 'signed', title: '签约日期' },
  { stage: 'landed', title: '落地日期' },
  { stage: 'started', title: '开工日期' },
  { stage: 'in_stats', title: '入统日期' },
  { stage: 'producing', title: '投产日期' },
  { stage: 'dropped', title: '终止日期' },
];

/** The columns the officer chose to see, kept in this browser. */
const COLUMNS_KEY = 'lifecycle.ledger.columns';
function storedColumns(): Record<string, ColumnsState> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '{}');
    return stored && typeof stored === 'object' ? (stored as Record<string, ColumnsState>) : {};
  } catch {
    return {};
  }
}

/** The 合计 row's amount per column key; the other columns stay blank. */
const TOTAL_OF: Record<string, keyof Totals> = {
  plannedInvestment: 'plannedInvestment',
  contractInvestment: 'contractInvestment',
  fundsArrivedTotal: 'fundsArrived',
};

/** The filters a phone shows only after 更多筛选. */
const MORE_FILTERS = [
  'overdue',
  'industryChain',
  'signingYear',
  'sizeBand',
  'industrial',
  'investorType',
  'investorFlag',
  'park',
  'serviceOfficerId',
  'chiefServiceOfficerId',
];

const personName = (name: string | null | undefined, id: string | null | undefined) => name ?? id ?? '—';

export function ProjectList() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const query = useMemo(() => queryOf(params), [params]);
  const [shown, setShown] = useState<Record<string, ColumnsState>>(storedColumns);
  const [form] = Form.useForm();
  // On a phone the filters past the first four fold away, so that the list is in sight.
  const narrow = Grid.useBreakpoint().md === false;
  const [more, setMore] = useState(false);
  const folded = narrow && !more;
  const foldedInUse = MORE_FILTERS.filter((k) => params.has(k)).length;

  const { page, rows, next, loading, error } = useListPage(
    () => api.GET('/api/projects', { params: { query } }),
    [query],
  );
  const totals = page?.totals ?? null;

  useEffect(() => {
    form.setFieldsValue({
      ...query,
      stage: query.stage ?? [],
      light: query.light ?? [],
      investorType: query.investorType ?? [],
      investorFlag: query.investorFlag ?? [],
    });
  }, [form, query]);

  /** Changes the URL's filter; any change starts again from the first page. */
  const update = (changes: Record<string, string | undefined>, keepCursor = false) =>
    setParams(withFilters(params, changes, keepCursor));

  const applyFilters = (values: Record<string, unknown>) => {
    const text = (v: unknown) =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v).trim() || undefined
        : undefined;
    const several = (v: unknown) => (v as string[] | undefined)?.join(',') || undefined;
    update({
      stage: several(values.stage),
      light: several(values.light),
      region: text(values.region),
      industryChain: text(values.industryChain),
      q: text(values.q),
      overdue: text(values.overdue),
      signingYear: text(values.signingYear),
      sizeBand: text(values.sizeBand),
      industrial: text(values.industrial),
      investorType: several(values.investorType),
      investorFlag: several(values.investorFlag),
      park: text(values.park),
      serviceOfficerId: text(values.serviceOfficerId),
      chiefServiceOfficerId: text(values.chiefServiceOfficerId),
    });
  };

  const regionChoices = (me?.regions ?? []).flatMap(regionWithDistricts);
  const sortOrder = (field: string) => {
    const s = query.sort ?? '-updatedAt';
    if (s === SORT_FIELDS[field]) return 'ascend' as const;
    if (s === `-${SORT_FIELDS[field]}`) return 'descend' as const;
    return null;
  };
  const yesNoOptions = [
    { value: true, label: '是' },
    { value: false, label: '否' },
  ];

  const columns: ProColumns<Project>[] = [
    {
      title: '项目名称',
      key: 'name',
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      // Always shown: it links to the project, and the 合计 row's label sits under it.
      hideInSetting: true,
      render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link>,
    },
    { title: '投资方', key: 'investor', dataIndex: ['investor', 'name'] },
    { title: '区域', key: 'region', dataIndex: 'region', render: (_, p) => regionName(p.region) },
    { title: '产业链', key: 'industryChain', dataIndex: 'industryChain' },
    { title: '阶段', key: 'stage', dataIndex: ['stage', 'label'] },
    {
      title: '计划投资',
      key: 'plannedInvestment',
      dataIndex: 'plannedInvestment',
      sorter: true,
      sortOrder: sortOrder('plannedInvestment'),
      align: 'right',
      render: (_, p) => <Amount yuan={p.plannedInvestment} />,
    },
    {
      title: '合同投资',
      key: 'contractInvestment',
      dataIndex: 'contractInvestment',
      align: 'right',
      render: (_, p) => <Amount yuan={p.contractInvestment} />,
    },
    {
      title: '到位资金',
      key: 'fundsArrivedTotal',
      dataIndex: 'fundsArrivedTotal',
      align: 'right',
      render: (_, p) => <Amount yuan={p.fundsArrivedTotal} />,
    },
    ...DATE_COLUMNS.map(({ stage, title }): ProColumns<Project> => ({
      title,
      key: `${stage}Date`,
      dataIndex: ['dates', stage],
      ...(stage === 'signed' ? { sorter: true, sortOrder: sortOrder('signedDate') } : {}),
      render: (_, p) => (p.dates as Record<string, string | null>)[stage] ?? '—',
    })),
    { title: '亮灯', key: 'light', dataIndex: 'light', render: (_, p) => <LightDot light={p.light} /> },
    {
      title: '逾期',
      key: 'overdue',
      dataIndex: 'overdue',
      render: (_, p) => (p.overdue ? <Typography.Text type="danger">逾期</Typography.Text> : '否'),
    },
    {
      title: '服务专员',
      key: 'serviceOfficer',
      dataIndex: 'serviceOfficerName',
      render: (_, p) => personName(p.serviceOfficerName, p.serviceOfficerId),
    },
    {
      title: '首席服务官',
      key: 'chiefServiceOfficer',
      dataIndex: 'chiefServiceOfficerName',
      render: (_, p) => personName(p.chiefServiceOfficerName, p.chiefServiceOfficerId),
    },
  ];
  // The column setting only hides and shows (no reordering), so the 合计 row follows this order.
  const visible = columns.filter((c) => shown[String(c.key)]?.show !== false);

  const summary = () =>
    totals && (
      <Table.Summary.Row data-testid="ledger-totals">
        {visible.map((c, index) => {
          const key = String(c.key);
          const amount = TOTAL_OF[key];
          return (
            <Table.Summary.Cell key={key} index={index} align={amount ? 'right' : undefined}>
              {index === 0 ? (
                <strong data-testid="ledger-total-count">合计 {totals.count} 个项目</strong>
              ) : amount ? (
                <strong>
                  <Amount yuan={totals[amount] as string} />
                </strong>
              ) : null}
            </Table.Summary.Cell>
          );
        })}
      </Table.Summary.Row>
    );

  return (
    <PageContainer
      title="项目台账"
      extra={
        <Space wrap>
          <ExportButton params={params} />
          {me?.commands.includes('RegisterLead') && (
            <Button type="primary" onClick={() => void navigate('/projects/new')}>
              登记线索
            </Button>
          )}
        </Space>
      }
    >
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
        <Form.Item name="overdue" hidden={folded} label="逾期">
          <Select allowClear style={{ width: 90 }} options={yesNoOptions} />
        </Form.Item>
        <Form.Item name="industryChain" hidden={folded} label="产业链">
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="signingYear" hidden={folded} label="签约年度">
          <InputNumber min={2000} max={2100} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="sizeBand" hidden={folded} label="规模">
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(SIZE_BAND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="industrial" hidden={folded} label="工业项目">
          <Select allowClear style={{ width: 90 }} options={yesNoOptions} />
        </Form.Item>
        <Form.Item name="investorType" hidden={folded} label="投资方类型">
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 140 }}
            options={Object.entries(INVESTOR_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="investorFlag" hidden={folded} label="投资方标签">
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 160 }}
            options={Object.entries(INVESTOR_FLAG_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="park" hidden={folded} label="园区">
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="serviceOfficerId" hidden={folded} label="服务专员">
          <PersonPicker role="officer" allowClear placeholder="输入姓名" />
        </Form.Item>
        <Form.Item name="chiefServiceOfficerId" hidden={folded} label="首席服务官">
          <PersonPicker role="chief_officer" allowClear placeholder="输入姓名" />
        </Form.Item>
        <FilterButtons form={form} setParams={setParams}>
          {narrow && (
            <Button type="link" onClick={() => setMore(!more)} aria-expanded={more}>
              {more ? '收起筛选' : `更多筛选${foldedInUse ? ` (${foldedInUse})` : ''}`}
            </Button>
          )}
        </FilterButtons>
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {PERIOD_FILTERS.some(({ key }) => params.has(key)) && (
        <Space wrap data-testid="period-filters" style={{ margin: '8px 0' }}>
          {PERIOD_FILTERS.filter(({ key }) => params.has(key)).map(({ key, label }) => (
            <Tag
              key={key}
              closable
              closeIcon={<span aria-label={`移除筛选 ${label}`}>×</span>}
              onClose={() => setParams(withFilters(params, { [key]: undefined }))}
            >
              {label}:{params.get(key)}
            </Tag>
          ))}
        </Space>
      )}
      <ProTable<Project>
        rowKey="projectId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{
          density: false,
          reload: false,
          setting: { draggable: false, showListItemOption: false },
        }}
        columnsState={{
          value: shown,
          onChange: (value) => {
            setShown(value);
            localStorage.setItem(COLUMNS_KEY, JSON.stringify(value));
          },
        }}
        summary={summary}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = SORT_FIELDS[String(s?.columnKey ?? '')];
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
