import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, DatePicker, Form, Radio, Select, Space, Typography, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  isoWeekOf,
  REPORT_PERIOD_KIND_LABELS,
  REPORT_PERIOD_KINDS,
  type ReportPeriodKind,
} from '../../../../../libs/domain/src/periods';
import { problemText } from '../../api/client';
import { download, ledgerRoutes, queryString, type PeriodicReport } from '../../api/ledger-routes';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { Amount } from '../ProjectList';
import { chinaToday } from '../project-actions/TransitionForm';

type Row = Record<string, unknown>;

const text = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : Array.isArray(v) ? v.map(text).join(';') : '—';

/** A person by name, else by id (one the directory lacks). */
const person = (row: Row, field: string) => text(row[`${field}Name`] ?? row[`${field}Id`] ?? null);

const projectColumn: ProColumns<Row> = {
  title: '项目名称',
  key: 'name',
  render: (_, r) =>
    typeof r.projectId === 'string' ? (
      <Link to={`/projects/${r.projectId}`}>{text(r.name)}</Link>
    ) : (
      text(r.name)
    ),
};
const regionColumn: ProColumns<Row> = {
  title: '区域',
  key: 'region',
  render: (_, r) => (typeof r.region === 'string' ? regionName(r.region) : '—'),
};

const PROGRESS_COLUMNS: ProColumns<Row>[] = [
  projectColumn,
  regionColumn,
  { title: '进展', key: 'what', render: (_, r) => text(r.whatLabel ?? r.label ?? r.stageLabel ?? r.what) },
  { title: '日期', key: 'date', render: (_, r) => text(r.date) },
  {
    title: '金额',
    key: 'amount',
    align: 'right',
    render: (_, r) => <Amount yuan={typeof r.amount === 'string' ? r.amount : null} />,
  },
];
const RED_COLUMNS: ProColumns<Row>[] = [
  projectColumn,
  regionColumn,
  {
    title: '阶段',
    key: 'stage',
    render: (_, r) => text(r.stageLabel ?? (r.stage as Row | undefined)?.label ?? r.stage),
  },
  { title: '原因', key: 'reasons', render: (_, r) => text(r.reasons ?? r.reason) },
  { title: '服务专员', key: 'officer', render: (_, r) => person(r, 'serviceOfficer') },
];
const STALE_COLUMNS: ProColumns<Row>[] = [
  projectColumn,
  regionColumn,
  {
    title: '阶段',
    key: 'stage',
    render: (_, r) => text(r.stageLabel ?? (r.stage as Row | undefined)?.label ?? r.stage),
  },
  {
    title: '最后更新',
    key: 'lastUpdate',
    render: (_, r) => text(r.lastUpdateDate ?? r.lastUpdate ?? r.updatedAt),
  },
  { title: '责任服务专员', key: 'officer', render: (_, r) => person(r, 'serviceOfficer') },
];

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
  const lists: {
    key: keyof Pick<PeriodicReport, 'progress' | 'red' | 'stale'>;
    title: string;
    columns: ProColumns<Row>[];
  }[] = [
    { key: 'progress', title: '本期进展', columns: PROGRESS_COLUMNS },
    { key: 'red', title: '红灯项目', columns: RED_COLUMNS },
    { key: 'stale', title: '30日未更新', columns: STALE_COLUMNS },
  ];

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
          {REPORT_PERIOD_KIND_LABELS[kind]} · {query.period}
          {report.from && report.to ? ` · ${report.from} 至 ${report.to}` : ''}
          {query.region ? ` · ${regionName(query.region)}` : ''}
        </Typography.Paragraph>
      )}
      {lists.map((l) => (
        <section key={l.key} data-testid={`report-${l.key}`} aria-label={l.title}>
          <ProTable<Row>
            headerTitle={`${l.title}(${report?.[l.key]?.length ?? 0})`}
            rowKey={(r) => `${text(r.projectId)}-${text(r.what ?? r.kind ?? '')}-${text(r.date ?? '')}`}
            columns={l.columns}
            dataSource={report?.[l.key] ?? []}
            loading={loading}
            search={false}
            pagination={false}
            options={false}
            scroll={{ x: 'max-content' }}
            style={{ marginBottom: 16 }}
          />
        </section>
      ))}
    </PageContainer>
  );
}
