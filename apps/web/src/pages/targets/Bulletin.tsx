import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, DatePicker, Select, Space, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { TARGET_METRIC_BY_CODE } from '../../../../../libs/domain/src/targets';
import { api, problemText, type Schemas } from '../../api/client';
import { download } from '../../api/ledger-routes';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { chinaToday } from '../project-actions/TransitionForm';
import { metricFigure } from './figures';

type Bulletin = Schemas['BulletinView'];
type RankedRegion = Schemas['BulletinRegionView'];
type MetricLine = Schemas['MetricProgressView'] & { key: string; rank: number | null; region: string };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const regionText = (code: string) => (regionName(code) === code ? code : `${regionName(code)}(${code})`);
const kindOf = (metric: string) =>
  (TARGET_METRIC_BY_CODE as Record<string, { kind: 'count' | 'amount' } | undefined>)[metric]?.kind ??
  'count';

const RANKING_COLUMNS: ProColumns<RankedRegion>[] = [
  { title: '排名', key: 'rank', render: (_, r) => r.rank ?? '不排名' },
  { title: '地区', key: 'region', render: (_, r) => regionText(r.region) },
  {
    title: '平均超/落后时序进度(百分点)',
    key: 'score',
    align: 'right',
    render: (_, r) => <span data-testid={`score-${r.region}`}>{r.scorePoints ?? '—'}</span>,
  },
  {
    title: '评价',
    key: 'assessment',
    render: (_, r) => <span data-testid={`assessment-${r.region}`}>{r.assessment}</span>,
  },
  {
    title: '各项指标',
    key: 'summaries',
    render: (_, r) => (
      <ul style={{ margin: 0, paddingInlineStart: 16 }}>
        {r.metrics.map((m) => (
          <li key={m.metric}>{m.summary}</li>
        ))}
      </ul>
    ),
  },
];

const METRIC_COLUMNS: ProColumns<MetricLine>[] = [
  { title: '排名', key: 'rank', render: (_, m) => m.rank ?? '—' },
  { title: '地区', key: 'region', render: (_, m) => regionText(m.region) },
  { title: '指标', key: 'label', dataIndex: 'label' },
  {
    title: '目标',
    key: 'target',
    align: 'right',
    render: (_, m) => <span data-testid={`target-${m.key}`}>{metricFigure(kindOf(m.metric), m.target)}</span>,
  },
  {
    title: '完成',
    key: 'actual',
    align: 'right',
    render: (_, m) => <span data-testid={`actual-${m.key}`}>{metricFigure(kindOf(m.metric), m.actual)}</span>,
  },
  {
    title: '完成率',
    key: 'completion',
    align: 'right',
    render: (_, m) => (
      <span data-testid={`completion-${m.key}`}>
        {m.completionPercent === null ? '—' : `${m.completionPercent}%`}
      </span>
    ),
  },
  { title: '时序进度', key: 'time', align: 'right', render: (_, m) => `${m.timeProgressPercent}%` },
  { title: '评价', key: 'assessment', dataIndex: 'assessment' },
];

/** 月度通报: the regions ranked against their targets as GET /api/bulletins/{month} words them. */
export function Bulletin() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const today = chinaToday();
  const monthParam = params.get('month');
  const month = monthParam && MONTH.test(monthParam) ? monthParam : today.format('YYYY-MM');
  const region = params.get('region') ?? undefined;
  const [bulletin, setBulletin] = useState<Bulletin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [messages, holder] = message.useMessage();

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    void api
      .GET('/api/bulletins/{month}', { params: { path: { month }, query: region ? { region } : {} } })
      .then((answer) => {
        if (!live) return;
        setLoading(false);
        if (answer.data) setBulletin(answer.data);
        else {
          setBulletin(null);
          setError(problemText(answer.error));
        }
      });
    return () => {
      live = false;
    };
  }, [month, region]);

  const pick = (next: { month?: string; region?: string | null }) => {
    const p = new URLSearchParams(params);
    p.set('month', next.month ?? month);
    const r = next.region === undefined ? region : next.region;
    if (r) p.set('region', r);
    else p.delete('region');
    setParams(p);
  };

  const lines: MetricLine[] = useMemo(
    () =>
      (bulletin?.regions ?? []).flatMap((r) =>
        r.metrics.map((m) => ({
          ...m,
          key: `${r.region}-${m.metric}`,
          rank: r.rank ?? null,
          region: r.region,
        })),
      ),
    [bulletin],
  );

  const fetchWorkbook = async () => {
    setBusy(true);
    const query = region ? `?region=${region}` : '';
    const outcome = await download(
      `/api/bulletins/${month}.xlsx${query}`,
      `招商引资目标任务通报-${month}.xlsx`,
    );
    setBusy(false);
    if (!outcome.ok) void messages.error(`下载失败:${problemText(outcome.error)}`);
  };

  const [y, m] = month.split('-').map(Number);
  const choices = (me?.regions ?? []).flatMap(regionWithDistricts);
  return (
    <PageContainer title="月度通报">
      {holder}
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size="middle">
          <label>
            <span style={{ marginInlineEnd: 8 }}>月份</span>
            <DatePicker
              picker="month"
              aria-label="月份"
              allowClear={false}
              value={dayjs(`${month}-01`)}
              format="YYYY-MM"
              disabledDate={(d) => d.isAfter(today, 'month') || d.year() < 2000}
              onChange={(d) => d && pick({ month: d.format('YYYY-MM') })}
            />
          </label>
          {choices.length > 0 && (
            <label>
              <span style={{ marginInlineEnd: 8 }}>区域</span>
              <Select
                aria-label="区域"
                allowClear
                style={{ width: 180 }}
                value={region}
                options={choices.map((c) => ({ value: c, label: regionText(c) }))}
                onChange={(v?: string) => pick({ region: v ?? null })}
              />
            </label>
          )}
          <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void fetchWorkbook()}>
            下载 xlsx
          </Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {bulletin && (
        <Typography.Paragraph data-testid="bulletin-heading">
          {y}年{m}月招商引资目标任务完成情况通报(截至 {bulletin.asOf},时序进度{' '}
          <span data-testid="bulletin-time-progress">{bulletin.timeProgressPercent}</span>%)
        </Typography.Paragraph>
      )}
      {bulletin && (
        <Typography.Paragraph type="secondary" data-testid="bulletin-rule">
          排名规则:{bulletin.rankingRule}
        </Typography.Paragraph>
      )}
      <section aria-label="排名" data-testid="bulletin-ranking" style={{ marginBottom: 16 }}>
        <ProTable<RankedRegion>
          headerTitle={`排名(${bulletin?.regions.length ?? 0} 个地区)`}
          rowKey="region"
          columns={RANKING_COLUMNS}
          dataSource={bulletin?.regions ?? []}
          loading={loading}
          search={false}
          pagination={false}
          options={false}
          scroll={{ x: 'max-content' }}
        />
      </section>
      <section aria-label="各地区指标明细" data-testid="bulletin-metrics">
        <ProTable<MetricLine>
          headerTitle="各地区指标明细"
          rowKey="key"
          columns={METRIC_COLUMNS}
          dataSource={lines}
          loading={loading}
          search={false}
          pagination={false}
          options={false}
          scroll={{ x: 'max-content' }}
        />
      </section>
    </PageContainer>
  );
}
