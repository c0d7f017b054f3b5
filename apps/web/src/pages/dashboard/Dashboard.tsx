import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { LIGHT_LABELS } from '../../../../../libs/domain/src/alerts';
import { STAGE_LABELS } from '../../../../../libs/domain/src/stages';
import { api, problemText, type Schemas } from '../../api/client';
import { amountText } from '../../format';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { Amount, LIGHT_COLOURS } from '../ProjectList';
import { chinaToday } from '../project-actions/TransitionForm';
import type { DashboardChartOption } from './DashboardChart';

const DashboardChart = lazy(() => import('./DashboardChart'));

type View = Schemas['DashboardView'];
type Listed = Schemas['DashboardProjectView'];
type Metric = Schemas['DashboardMetricView'];
type Ranked = Schemas['DashboardRankedRegionView'];

const ledger = (filter: string) => `/projects?${filter}`;
const stageLabel = (code: string) => (STAGE_LABELS as Record<string, string>)[code] ?? code;
const lightLabel = (code: string) => (LIGHT_LABELS as Record<string, string>)[code] ?? code;

/** A figure as a keyboard-reachable link to the 台账 listing what it counts. */
function FigureLink({
  filter,
  label,
  count,
  testId,
}: {
  filter: string;
  label: string;
  count: number;
  testId: string;
}) {
  return (
    <Link to={ledger(filter)} data-testid={testId} data-count={count}>
      {label} {count} 个
    </Link>
  );
}

/** A chart beside its figures as links: the text alternative of the drawing. */
function ChartCard(props: {
  id: string;
  title: string;
  option: DashboardChartOption;
  height?: number;
  links: { key: string; filter: string; label: string; count: number }[];
  extra?: React.ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <Card title={props.title} data-testid={`dashboard-${props.id}`} style={{ height: '100%' }}>
      <Suspense fallback={<div style={{ height: props.height ?? 240 }} />}>
        <DashboardChart
          option={props.option}
          height={props.height ?? 240}
          testId={`chart-${props.id}`}
          onOpen={(filter) => void navigate(ledger(filter))}
        />
      </Suspense>
      <ul aria-label={`${props.title}(数据)`} style={{ margin: '8px 0 0', paddingInlineStart: 16 }}>
        {props.links.map((l) => (
          <li key={l.key}>
            <FigureLink
              filter={l.filter}
              label={l.label}
              count={l.count}
              testId={`figure-${props.id}-${l.key}`}
            />
          </li>
        ))}
      </ul>
      {props.extra}
    </Card>
  );
}

const PROJECT_COLUMNS: ProColumns<Listed>[] = [
  {
    title: '项目名称',
    key: 'name',
    render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link>,
  },
  { title: '区域', key: 'region', render: (_, p) => regionName(p.region) },
  { title: '阶段', key: 'stage', render: (_, p) => stageLabel(p.stage) },
  { title: '灯', key: 'light', render: (_, p) => lightLabel(p.light) },
  { title: '投资额', key: 'investment', align: 'right', render: (_, p) => <Amount yuan={p.investment} /> },
];

const METRIC_COLUMNS = [
  {
    title: '区域',
    key: 'region',
    render: (_: unknown, m: Metric & { region: string }) => regionName(m.region),
  },
  { title: '指标', key: 'label', dataIndex: 'label' },
  {
    title: '完成 / 目标',
    key: 'actual',
    render: (_: unknown, m: Metric) =>
      typeof m.actual === 'string' ? (
        <Link to={ledger(m.filter)}>
          {amountText(m.actual)} / {amountText(String(m.target))}
        </Link>
      ) : (
        <Link to={ledger(m.filter)} data-testid={`target-${m.metric}`} data-count={m.actual}>
          {m.actual} / {m.target} 个
        </Link>
      ),
  },
  {
    title: '完成率',
    key: 'completion',
    render: (_: unknown, m: Metric) => (
      <span data-testid="target-percent">
        {m.completionPercent === null ? '—' : `${m.completionPercent}%`}
      </span>
    ),
  },
  { title: '时序进度', key: 'time', render: (_: unknown, m: Metric) => `${m.timeProgressPercent}%` },
  { title: '评价', key: 'assessment', dataIndex: 'assessment' },
];

const RANK_COLUMNS = [
  { title: '名次', key: 'rank', render: (_: unknown, r: Ranked) => r.rank ?? '—' },
  {
    title: '区域',
    key: 'region',
    render: (_: unknown, r: Ranked) => <Link to={ledger(r.filter)}>{regionName(r.region)}</Link>,
  },
  { title: '平均(百分点)', key: 'score', render: (_: unknown, r: Ranked) => r.scorePoints ?? '—' },
  { title: '评价', key: 'assessment', dataIndex: 'assessment' },
];

function funnelOption(view: View): DashboardChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} 个' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        minSize: '10%',
        label: { show: true, position: 'inside', formatter: '{b} {c}' },
        data: view.funnel.map((s) => ({ name: s.label, value: s.count, filter: s.filter })),
      },
    ],
  };
}

function lightsOption(view: View): DashboardChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} 个 ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        label: { formatter: '{b} {c}' },
        data: view.lights.map((l) => ({
          name: l.label,
          value: l.count,
          filter: l.filter,
          itemStyle: { color: LIGHT_COLOURS[l.light] },
        })),
      },
    ],
  };
}

function targetsOption(view: View): DashboardChartOption {
  const metrics = view.targets.flatMap((r) => r.metrics.map((m) => ({ ...m, region: r.region })));
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, bottom: 72, top: 24 },
    xAxis: {
      type: 'category',
      axisLabel: { rotate: 30, interval: 0, fontSize: 10 },
      data: metrics.map((m) => `${regionName(m.region)} ${m.label}`),
    },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: '完成率',
        data: metrics.map((m) => ({ value: Number(m.completionPercent ?? 0), filter: m.filter })),
        markLine: {
          symbol: 'none',
          label: { formatter: `时序进度 ${view.timeProgressPercent}%` },
          data: [{ yAxis: Number(view.timeProgressPercent) }],
        },
      },
    ],
  };
}

function cohortsOption(view: View): DashboardChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, bottom: 32, top: 32 },
    xAxis: { type: 'category', data: view.cohorts.map((c) => `${c.year}年签约`) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: (['all', 'industrial'] as const).map((kind) => ({
      type: 'bar',
      name: kind === 'all' ? '全部项目开工率' : '工业项目开工率',
      data: view.cohorts.map((c) => ({
        value: Number(c[kind].percent ?? 0),
        filter: c[kind].started.filter,
      })),
    })),
  };
}

function fundsOption(view: View): DashboardChartOption {
  const wan = (yuan: string) => Number(yuan) / 10_000;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 64, right: 16, bottom: 32, top: 32 },
    xAxis: { type: 'category', data: view.funds.map((f) => `${Number(f.current.month.slice(5))}月`) },
    yAxis: { type: 'value', name: '万元' },
    series: [
      {
        type: 'bar',
        name: `${view.year}年`,
        data: view.funds.map((f) => ({ value: wan(f.current.amount), filter: f.current.filter })),
      },
      {
        type: 'bar',
        name: `${view.year - 1}年同期`,
        data: view.funds.map((f) => ({ value: wan(f.previous.amount), filter: f.previous.filter })),
      },
    ],
  };
}

interface Values {
  region?: string;
  asOf?: Dayjs;
}

/** 领导驾驶舱: the leader's regions at a glance, every figure a link to the 台账 it counts. */
export function Dashboard() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const query = useMemo(
    () => ({ region: params.get('region') ?? undefined, asOf: params.get('asOf') ?? undefined }),
    [params],
  );
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    form.setFieldsValue({ region: query.region, asOf: query.asOf ? dayjs(query.asOf) : chinaToday() });
  }, [form, query]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    void api.GET('/api/dashboard', { params: { query } }).then((answer) => {
      if (!live) return;
      setLoading(false);
      if (answer.data) setView(answer.data);
      else {
        setView(null);
        setError(problemText(answer.error));
      }
    });
    return () => {
      live = false;
    };
  }, [query]);

  const apply = (v: Values) => {
    const next = new URLSearchParams();
    if (v.region) next.set('region', v.region);
    if (v.asOf) next.set('asOf', v.asOf.format('YYYY-MM-DD'));
    setParams(next);
  };

  const regionChoices = [...new Set((me?.regions ?? []).flatMap(regionWithDistricts))];
  const metrics = view ? view.targets.flatMap((r) => r.metrics.map((m) => ({ ...m, region: r.region }))) : [];
  return (
    <PageContainer title="领导驾驶舱">
      <Card style={{ marginBottom: 16 }}>
        <Form<Values> form={form} layout="inline" name="dashboard" onFinish={apply} style={{ rowGap: 8 }}>
          <Form.Item name="region" label="区域">
            <Select
              allowClear
              placeholder="全部区域"
              style={{ width: 180 }}
              options={regionChoices.map((c) => ({ value: c, label: regionName(c) }))}
            />
          </Form.Item>
          <Form.Item name="asOf" label="截至日期">
            <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(chinaToday(), 'day')} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {loading && !view && <Typography.Paragraph>加载中…</Typography.Paragraph>}
      {view && (
        <>
          <Typography.Paragraph data-testid="dashboard-scope">
            {view.region ? regionName(view.region) : '全部区域'} · 截至 {view.asOf} · 时序进度{' '}
            {view.timeProgressPercent}%
          </Typography.Paragraph>
          <Space size="large" wrap style={{ display: 'flex', marginBottom: 16 }}>
            <Link
              to={ledger(view.projects.filter)}
              data-testid="figure-projects"
              data-count={view.projects.count}
            >
              <Statistic title="项目总数" value={view.projects.count} suffix="个" />
            </Link>
            <Link to={ledger(view.redList.filter)} data-testid="figure-red" data-count={view.redList.total}>
              <Statistic title="红灯项目" value={view.redList.total} suffix="个" />
            </Link>
            <Link
              to={ledger(view.majorProjects.filter)}
              data-testid="figure-major"
              data-count={view.majorProjects.total}
            >
              <Statistic title="10亿元以上项目" value={view.majorProjects.total} suffix="个" />
            </Link>
            <Link
              to={ledger(view.dropped.filter)}
              data-testid="figure-dropped"
              data-count={view.dropped.count}
            >
              <Statistic title="终止" value={view.dropped.count} suffix="个" />
            </Link>
          </Space>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} lg={12}>
              <ChartCard
                id="funnel"
                title="项目漏斗"
                option={funnelOption(view)}
                height={280}
                links={view.funnel.map((s) => ({
                  key: s.stage,
                  filter: s.filter,
                  label: s.label,
                  count: s.count,
                }))}
              />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard
                id="lights"
                // As of a past day, each project's light at the end of that day (its light history).
                title="红黄绿灯"
                option={lightsOption(view)}
                height={280}
                links={view.lights.map((l) => ({
                  key: l.light,
                  filter: l.filter,
                  label: `${l.label}(${l.percent ?? '—'}%)`,
                  count: l.count,
                }))}
              />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard
                id="cohorts"
                title="开工率(签约年度)"
                option={cohortsOption(view)}
                links={view.cohorts.flatMap((c) =>
                  (['all', 'industrial'] as const).flatMap((kind) => {
                    const name = `${c.year}年签约${kind === 'all' ? '' : '工业'}项目`;
                    return [
                      {
                        key: `${c.year}-${kind}-signed`,
                        filter: c[kind].signed.filter,
                        label: name,
                        count: c[kind].signed.count,
                      },
                      {
                        key: `${c.year}-${kind}-started`,
                        filter: c[kind].started.filter,
                        label: `其中已开工(开工率 ${c[kind].percent ?? '—'}%)`,
                        count: c[kind].started.count,
                      },
                    ];
                  }),
                )}
              />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard
                id="funds"
                title="到位资金(按月,与上年同期)"
                option={fundsOption(view)}
                links={view.funds.flatMap((f) => [
                  {
                    key: f.current.month,
                    filter: f.current.filter,
                    label: `${f.current.month} 到位 ${amountText(f.current.amount)},项目`,
                    count: f.current.projects,
                  },
                  {
                    key: f.previous.month,
                    filter: f.previous.filter,
                    label: `${f.previous.month}(上年同期)到位 ${amountText(f.previous.amount)},项目`,
                    count: f.previous.projects,
                  },
                ])}
              />
            </Col>
          </Row>
          <Card title="目标任务完成情况" data-testid="dashboard-targets" style={{ marginBottom: 16 }}>
            {metrics.length > 0 ? (
              <Suspense fallback={null}>
                <TargetsChart view={view} />
              </Suspense>
            ) : (
              <Typography.Paragraph>本年度尚未下达目标任务。</Typography.Paragraph>
            )}
            <Table
              size="small"
              rowKey={(m) => `${m.region}-${m.metric}`}
              columns={METRIC_COLUMNS}
              dataSource={metrics}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </Card>
          <Card title="地区排名" data-testid="dashboard-ranking" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">{view.rankingRule}</Typography.Paragraph>
            <Table
              size="small"
              rowKey="region"
              columns={RANK_COLUMNS}
              dataSource={view.ranking}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </Card>
          <section data-testid="dashboard-red-list" aria-label="红灯项目" style={{ marginBottom: 16 }}>
            <ProTable<Listed>
              headerTitle={`红灯项目(前 ${view.redList.items.length} 个,共 ${view.redList.total} 个)`}
              toolBarRender={() => [
                <Link key="all" to={ledger(view.redList.filter)}>
                  查看全部
                </Link>,
              ]}
              rowKey="projectId"
              columns={PROJECT_COLUMNS}
              dataSource={view.redList.items}
              search={false}
              pagination={false}
              options={false}
              scroll={{ x: 'max-content' }}
            />
          </section>
          <section data-testid="dashboard-major" aria-label="10亿元以上项目" style={{ marginBottom: 16 }}>
            <ProTable<Listed>
              headerTitle={`10亿元以上项目(共 ${view.majorProjects.total} 个)`}
              toolBarRender={() => [
                <Link key="all" to={ledger(view.majorProjects.filter)}>
                  查看全部
                </Link>,
              ]}
              rowKey="projectId"
              columns={PROJECT_COLUMNS}
              dataSource={view.majorProjects.items}
              search={false}
              pagination={false}
              options={false}
              scroll={{ x: 'max-content' }}
            />
          </section>
        </>
      )}
    </PageContainer>
  );
}

function TargetsChart({ view }: { view: View }) {
  const navigate = useNavigate();
  return (
    <DashboardChart
      option={targetsOption(view)}
      height={300}
      testId="chart-targets"
      onOpen={(filter) => void navigate(ledger(filter))}
    />
  );
}
