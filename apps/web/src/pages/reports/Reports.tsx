import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Radio,
  Select,
  Space,
  Statistic,
  Typography,
  message,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  isoWeekOf,
  REPORT_PERIOD_KIND_LABELS,
  REPORT_PERIOD_KINDS,
  type ReportPeriodKind,
} from '../../../../../libs/domain/src/periods';
import { STAGE_LABELS } from '../../../../../libs/domain/src/stages';
import { problemText } from '../../api/client';
import {
  download,
  ledgerRoutes,
  queryString,
  type PeriodicProject,
  type PeriodicReport,
} from '../../api/ledger-routes';
import { amountText } from '../../format';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { Amount } from '../ProjectList';
import { chinaToday } from '../project-actions/TransitionForm';

type Project = PeriodicProject;
/** A 本期进展 line: one step a project took in the period, or a month's funds. */
type ProgressLine = PeriodicProject & { what: string; date: string | null; amount: string; line: string };
type RedLine = PeriodicReport['redLights'][number];
type StaleLine = PeriodicReport['stale'][number];

/** The period's steps in the order a project takes them, as the forms name them. */
const PROGRESS_GROUPS: { key: keyof PeriodicReport['progress']; label: string }[] = [
  { key: 'signed', label: '新签约' },
  { key: 'landed', label: '新落地' },
  { key: 'started', label: '新开工' },
  { key: 'inStats', label: '新入统' },
  { key: 'producing', label: '新投产' },
];

function progressLines(report: PeriodicReport): ProgressLine[] {
  const steps = PROGRESS_GROUPS.flatMap(({ key, label }) =>
    report.progress[key].items.map((p, i) => ({ ...p, what: label, line: `${key}-${p.projectId}-${i}` })),
  );
  const funds = report.funds.items.map((p, i) => ({
    ...p,
    what: '到位资金',
    date: null,
    line: `funds-${p.projectId}-${i}`,
  }));
  return [...steps, ...funds];
}

const person = (p: Project) => p.serviceOfficerName ?? p.serviceOfficerId ?? '—';
const stageOf = (p: Project) => (STAGE_LABELS as Record<string, string>)[p.stage] ?? p.stage;

function projectColumns<T extends Project>(): ProColumns<T>[] {
  return [
    {
      title: '项目名称',
      key: 'name',
      render: (_, p) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link>,
    },
    { title: '投资方', key: 'investor', dataIndex: 'investorName' },
    { title: '区域', key: 'region', render: (_, p) => regionName(p.region) },
  ];
}

const PROGRESS_COLUMNS: ProColumns<ProgressLine>[] = [
  { title: '进展', key: 'what', dataIndex: 'what' },
  ...projectColumns<ProgressLine>(),
  { title: '日期', key: 'date', render: (_, p) => p.date ?? '—' },
  { title: '金额', key: 'amount', align: 'right', render: (_, p) => <Amount yuan={p.amount} /> },
  { title: '服务专员', key: 'officer', render: (_, p) => person(p) },
];
const RED_COLUMNS: ProColumns<RedLine>[] = [
  ...projectColumns<RedLine>(),
  { title: '阶段', key: 'stage', render: (_, p) => stageOf(p) },
  {
    title: '红灯原因',
    key: 'reasons',
    render: (_, p) => (
      <ul style={{ margin: 0, paddingInlineStart: 16 }}>
        {p.reasons.map((r) => (
          <li key={r.deadlineId}>
            {r.ruleLabel}(应于 {r.dueDate},已报{r.addressedTo})
          </li>
        ))}
      </ul>
    ),
  },
  { title: '服务专员', key: 'officer', render: (_, p) => person(p) },
];
const STALE_COLUMNS: ProColumns<StaleLine>[] = [
  ...projectColumns<StaleLine>(),
  { title: '阶段', key: 'stage', render: (_, p) => stageOf(p) },
  { title: '最后更新', key: 'last', render: (_, p) => p.lastActivityDate ?? '—' },
  {
    title: '未更新天数',
    key: 'days',
    align: 'right',
    render: (_, p) => (p.daysWithoutUpdate === null ? '—' : p.daysWithoutUpdate),
  },
  { title: '责任服务专员', key: 'officer', render: (_, p) => person(p) },
];

/** One of the form's lists, titled with its count. */
function ReportList<T extends object>(props: {
  id: string;
  title: string;
  rowKey: keyof T & string;
  columns: ProColumns<T>[];
  rows: T[];
  loading: boolean;
  extra?: string;
}) {
  return (
    <section data-testid={`report-${props.id}`} aria-label={props.title} style={{ marginBottom: 16 }}>
      <ProTable<T>
        headerTitle={`${props.title}(${props.rows.length})`}
        tooltip={props.extra}
        rowKey={props.rowKey}
        columns={props.columns}
        dataSource={props.rows}
        loading={props.loading}
        search={false}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
      />
    </section>
  );
}

interface Values {
  kind: ReportPeriodKind;
  day: Dayjs;
  region?: string;
}

/** The period a picked day falls in: its ISO week, or its month. */
function periodOf(kind: ReportPeriodKind, day: Dayjs): string {
  return kind === 'weekly' ? isoWeekOf(day.format('YYYY-MM-DD')) : day.format('YYYY-MM');
}

/** A period code back to a day in it, for the picker. */
function dayOf(kind: ReportPeriodKind, period: string | null): Dayjs {
  const week = /^(\d{4})-W(\d{2})$/.exec(period ?? '');
  if (kind === 'weekly' && week) {
    // 4 January is always in week 1; weeks are seven days on from there.
    return dayjs(`${week[1]}-01-04`).add((Number(week[2]) - 1) * 7, 'day');
  }
  if (kind === 'monthly' && /^\d{4}-\d{2}$/.test(period ?? '')) return dayjs(`${period}-01`);
  return chinaToday();
}

/** 报表: the weekly and monthly forms a bureau hands in, as lists and as a workbook. */
export function Reports() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const kind: ReportPeriodKind = params.get('kind') === 'monthly' ? 'monthly' : 'weekly';
  const day = useMemo(() => dayOf(kind, params.get('period')), [kind, params]);
  const query = useMemo(
    () => ({ kind, period: periodOf(kind, day), region: params.get('region') ?? undefined }),
    [kind, day, params],
  );
  const [report, setReport] = useState<PeriodicReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [messages, holder] = message.useMessage();
  const pickedKind = Form.useWatch('kind', form) ?? kind;

  useEffect(() => {
    form.setFieldsValue({ kind, day, region: query.region });
  }, [form, kind, day, query.region]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    void ledgerRoutes.periodic(query).then((answer) => {
      if (!live) return;
      setLoading(false);
      if (answer.data) setReport(answer.data);
      else {
        setReport(null);
        setError(problemText(answer.error));
      }
    });
    return () => {
      live = false;
    };
  }, [query]);

  const apply = (v: Values) => {
    const next = new URLSearchParams();
    next.set('kind', v.kind);
    next.set('period', periodOf(v.kind, v.day ?? chinaToday()));
    if (v.region) next.set('region', v.region);
    setParams(next);
  };

  const fetchWorkbook = async () => {
    setBusy(true);
    const outcome = await download(
      `/api/reports/periodic.xlsx${queryString(query)}`,
      `${REPORT_PERIOD_KIND_LABELS[kind]}-${query.period}.xlsx`,
    );
    setBusy(false);
    if (!outcome.ok) void messages.error(`下载失败:${problemText(outcome.error)}`);
  };

  const regionChoices = (me?.regions ?? []).flatMap(regionWithDistricts);
  return (
    <PageContainer title="报表">
      {holder}
      <Card style={{ marginBottom: 16 }}>
        <Form<Values> form={form} layout="inline" name="report" onFinish={apply} style={{ rowGap: 8 }}>
          <Form.Item name="kind" label="报表类型">
            <Radio.Group
              optionType="button"
              options={REPORT_PERIOD_KINDS.map((k) => ({ value: k, label: REPORT_PERIOD_KIND_LABELS[k] }))}
            />
          </Form.Item>
          <Form.Item name="day" label={pickedKind === 'weekly' ? '周' : '月份'}>
            <DatePicker
              picker={pickedKind === 'weekly' ? 'week' : 'month'}
              allowClear={false}
              disabledDate={(d) => d.isAfter(chinaToday(), 'day')}
              format={pickedKind === 'weekly' ? (d) => isoWeekOf(d.format('YYYY-MM-DD')) : 'YYYY-MM'}
            />
          </Form.Item>
          <Form.Item name="region" label="区域">
            <Select
              allowClear
              style={{ width: 160 }}
              options={regionChoices.map((c) => ({ value: c, label: regionName(c) }))}
            />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void fetchWorkbook()}>
              下载 xlsx
            </Button>
          </Space>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {report && (
        <Typography.Paragraph data-testid="report-period">
          {REPORT_PERIOD_KIND_LABELS[report.kind]} · {report.label} ·{' '}
          {report.region ? regionName(report.region) : '全部区域'}
          (红灯与未更新名单截至 {report.asOf})
        </Typography.Paragraph>
      )}
      {report && (
        <Space size="large" wrap style={{ display: 'flex', marginBottom: 16 }}>
          {PROGRESS_GROUPS.map(({ key, label }) => (
            <Statistic key={key} title={label} value={report.progress[key].count} suffix="个" />
          ))}
          <Statistic title="到位资金" value={amountText(report.funds.total)} />
        </Space>
      )}
      <ReportList<ProgressLine>
        id="progress"
        title="本期进展"
        rowKey="line"
        columns={PROGRESS_COLUMNS}
        rows={report ? progressLines(report) : []}
        loading={loading}
      />
      <ReportList<RedLine>
        id="red"
        title="红灯项目"
        rowKey="projectId"
        columns={RED_COLUMNS}
        rows={report?.redLights ?? []}
        loading={loading}
      />
      <ReportList<StaleLine>
        id="stale"
        title={`${report?.staleAfterDays ?? 30}日未更新`}
        rowKey="projectId"
        columns={STALE_COLUMNS}
        rows={report?.stale ?? []}
        loading={loading}
      />
    </PageContainer>
  );
}
