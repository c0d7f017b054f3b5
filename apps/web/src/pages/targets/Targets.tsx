import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, AutoComplete, Button, Card, DatePicker, Form, Input, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { maySetTargets } from '../../../../../libs/domain/src/permissions';
import { TARGET_METRICS, type TargetMetric } from '../../../../../libs/domain/src/targets';
import { api, problemText, type Schemas } from '../../api/client';
import { newIdempotencyKey, sendWrite, showFieldErrors, type FieldError } from '../../api/write';
import { amountText } from '../../format';
import { useMe } from '../../me';
import { regionName, regionWithDistricts } from '../../regions';
import { wanToYuan } from '../project-actions/amounts';
import { chinaToday } from '../project-actions/TransitionForm';
import { metricFigure, wanText } from './figures';

type RegionTargets = Schemas['RegionTargetsView'];
type MetricProgress = Schemas['MetricProgressView'];
type Change = Schemas['TargetChangeView'];
type Value = number | string;

/** One line of the targets table: a metric, its target and, where there is one, its progress. */
interface Line {
  metric: TargetMetric;
  label: string;
  kind: 'count' | 'amount';
  target: Value | null;
  progress: MetricProgress | null;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: string | null;
}

/** A person as the directory names them, with the id the record keeps. */
const who = (id: string | null, name?: string | null) => (id === null ? '—' : name ? `${name}(${id})` : id);

const REGION_PATTERN = /^[1-9]\d{5}$/;

const when = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

const COLUMNS: ProColumns<Line>[] = [
  { title: '指标', key: 'label', dataIndex: 'label' },
  {
    title: '目标',
    key: 'target',
    align: 'right',
    render: (_, l) => <span data-testid={`target-${l.metric}`}>{metricFigure(l.kind, l.target)}</span>,
  },
  {
    title: '完成',
    key: 'actual',
    align: 'right',
    render: (_, l) => (
      <span data-testid={`actual-${l.metric}`}>{metricFigure(l.kind, l.progress?.actual ?? null)}</span>
    ),
  },
  {
    title: '完成率',
    key: 'completion',
    align: 'right',
    render: (_, l) => (
      <span data-testid={`completion-${l.metric}`}>
        {l.progress?.completionPercent == null ? '—' : `${l.progress.completionPercent}%`}
      </span>
    ),
  },
  {
    title: '时序进度',
    key: 'time',
    align: 'right',
    render: (_, l) => (l.progress ? `${l.progress.timeProgressPercent}%` : '—'),
  },
  {
    title: '进度评价',
    key: 'assessment',
    render: (_, l) => <span data-testid={`assessment-${l.metric}`}>{l.progress?.summary ?? '未设目标'}</span>,
  },
  { title: '设定人', key: 'updatedBy', render: (_, l) => who(l.updatedBy, l.updatedByName) },
  { title: '设定时间', key: 'updatedAt', render: (_, l) => when(l.updatedAt) },
];

/** "签约项目数: 4 个 → 5 个" for each metric a change touched. */
function changeLines(change: Change): string[] {
  return TARGET_METRICS.flatMap(({ metric, label, kind }) => {
    const before = (change.previous[metric] ?? null) as Value | null;
    const after = (change.targets[metric] ?? null) as Value | null;
    if (before === after) return [];
    return [`${label}:${metricFigure(kind, before, '无')} → ${metricFigure(kind, after, '无')}`];
  });
}

const HISTORY_COLUMNS: ProColumns<Change & { key: string }>[] = [
  { title: '时间', key: 'changedAt', render: (_, c) => when(c.changedAt) },
  { title: '调整人', key: 'changedBy', render: (_, c) => who(c.changedBy, c.changedByName) },
  { title: '原因', key: 'reason', render: (_, c) => c.reason ?? '—' },
  {
    title: '调整内容(原 → 新)',
    key: 'changes',
    render: (_, c) => (
      <ul style={{ margin: 0, paddingInlineStart: 16 }}>
        {changeLines(c).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    ),
  },
];

/** The edit form's values: counts as typed, amounts in 万元 as typed, and why. */
interface EditValues {
  targets: Partial<Record<TargetMetric, string>>;
  reason?: string;
}

/** The form's view of a stored set: counts as they are, yuan as exact 万元. */
function formValues(targets: Record<string, Value>): EditValues {
  return {
    targets: Object.fromEntries(
      TARGET_METRICS.flatMap(({ metric, kind }) =>
        targets[metric] === undefined
          ? []
          : [[metric, kind === 'amount' ? wanText(String(targets[metric])) : String(targets[metric])]],
      ),
    ),
    reason: '',
  };
}

/** The API's rules in the words beside the field. */
function fieldMessage(e: FieldError): string {
  if (e.field === 'reason') return e.rule === 'required' ? '请填写调整原因' : '调整原因最多 500 字';
  if (e.field.startsWith('targets.')) {
    const metric = TARGET_METRICS.find((m) => `targets.${m.metric}` === e.field);
    return metric?.kind === 'amount' ? '请填写万元金额,最多六位小数' : '请填写 0 或正整数';
  }
  return e.message;
}

/** Edits the region's whole set of targets; each refusal is shown beside its field. */
function TargetsForm(props: {
  year: number;
  region: string;
  current: RegionTargets;
  onSaved: (saved: RegionTargets) => void;
}) {
  const [form] = Form.useForm<EditValues>();
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const watched = Form.useWatch('targets', form);

  useEffect(() => {
    form.setFieldsValue(formValues(props.current.targets as Record<string, Value>));
  }, [form, props.current]);

  const submit = async (values: EditValues) => {
    setProblem(null);
    setSaved(false);
    const targets: Record<string, Value> = {};
    const local: { name: ['targets', TargetMetric]; errors: string[] }[] = [];
    for (const { metric, kind } of TARGET_METRICS) {
      const text = (values.targets?.[metric] ?? '').trim();
      if (text === '') continue;
      if (kind === 'amount') {
        const yuan = wanToYuan(text);
        if (yuan === null) local.push({ name: ['targets', metric], errors: ['请填写万元金额,最多六位小数'] });
        else targets[metric] = yuan;
      } else if (/^\d{1,7}$/.test(text)) targets[metric] = Number(text);
      else local.push({ name: ['targets', metric], errors: ['请填写 0 或正整数'] });
    }
    if (local.length > 0) {
      form.setFields(local);
      return;
    }
    setSending(true);
    const outcome = await sendWrite(
      (headers) =>
        api.PUT('/api/targets/{year}/{region}', {
          params: {
            path: { year: props.year, region: props.region },
            header: headers as { 'Idempotency-Key': string },
          },
          body: { targets, reason: values.reason ?? '' },
        }),
      { idempotencyKey: key },
    );
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      setSaved(true);
      props.onSaved(outcome.data);
      return;
    }
    const rest = showFieldErrors(
      form,
      outcome.fieldErrors.map((e) => ({ ...e, message: fieldMessage(e) })),
    );
    if (rest.length > 0 || outcome.fieldErrors.length === 0) setProblem(outcome.message);
  };

  return (
    <Card title="调整目标" style={{ marginBottom: 16 }} data-testid="targets-form">
      <Form<EditValues>
        form={form}
        name="targets-edit"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onValuesChange={() => setSaved(false)}
      >
        <div
          style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 12 }}
        >
          {TARGET_METRICS.map(({ metric, label, kind }) => {
            const text = watched?.[metric]?.trim() ?? '';
            const yuan = kind === 'amount' && text ? wanToYuan(text) : null;
            return (
              <Form.Item
                key={metric}
                name={['targets', metric]}
                label={kind === 'amount' ? `${label}(万元)` : `${label}(个)`}
                extra={yuan ? `即 ${amountText(yuan)}(${yuan} 元)` : '留空为不设目标'}
                style={{ marginBottom: 0 }}
              >
                <Input inputMode="decimal" autoComplete="off" />
              </Form.Item>
            );
          })}
        </div>
        <Form.Item name="reason" label="调整原因" required style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={500} showCount placeholder="如:按市政府年度目标责任书下达" />
        </Form.Item>
        {problem && (
          <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />
        )}
        {saved && (
          <Alert type="success" showIcon role="status" message="目标已保存" style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" htmlType="submit" loading={sending}>
          保存目标
        </Button>
      </Form>
    </Card>
  );
}

/** 目标任务: a region's annual targets, its progress against them beside 时序进度, and every change. */
export function Targets() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const thisYear = chinaToday().year();
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 ? yearParam : thisYear;
  const region = params.get('region') ?? me?.regions[0] ?? '';
  const [regionText, setRegionText] = useState(region);
  const [targets, setTargets] = useState<RegionTargets | null>(null);
  const [progress, setProgress] = useState<MetricProgress[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setRegionText(region), [region]);

  const pick = (next: { year?: number; region?: string }) => {
    const p = new URLSearchParams(params);
    p.set('year', String(next.year ?? year));
    p.set('region', next.region ?? region);
    setParams(p);
  };

  const load = useCallback(async () => {
    if (!REGION_PATTERN.test(region)) {
      setTargets(null);
      setProgress([]);
      return;
    }
    setLoading(true);
    setError(null);
    const [t, p] = await Promise.all([
      api.GET('/api/targets/{year}/{region}', { params: { path: { year, region } } }),
      api.GET('/api/progress', { params: { query: { year, region } } }),
    ]);
    setLoading(false);
    if (!t.data) {
      setTargets(null);
      setProgress([]);
      setError(problemText(t.error));
      return;
    }
    setTargets(t.data);
    // A region without targets is not among progress's regions.
    setProgress(p.data?.regions.find((r) => r.region === region)?.metrics ?? []);
    if (!p.data) setError(problemText(p.error));
  }, [year, region]);

  useEffect(() => {
    void load();
  }, [load]);

  const lines: Line[] = useMemo(() => {
    if (!targets) return [];
    const entries = new Map(targets.entries.map((e) => [e.metric, e]));
    const byMetric = new Map(progress.map((m) => [m.metric, m]));
    return TARGET_METRICS.map(({ metric, label, kind }) => ({
      metric,
      label,
      kind,
      target: entries.get(metric)?.target ?? null,
      progress: byMetric.get(metric) ?? null,
      updatedBy: entries.get(metric)?.updatedBy ?? null,
      updatedByName: entries.get(metric)?.updatedByName ?? null,
      updatedAt: entries.get(metric)?.updatedAt ?? null,
    }));
  }, [targets, progress]);

  const mayEdit = !!me && REGION_PATTERN.test(region) && maySetTargets(me, region);
  const choices = (me?.regions ?? []).flatMap(regionWithDistricts);
  const timeProgress = progress[0]?.timeProgressPercent;

  return (
    <PageContainer title="目标任务">
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size="middle">
          <label>
            <span style={{ marginInlineEnd: 8 }}>年度</span>
            <DatePicker
              picker="year"
              aria-label="年度"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              disabledDate={(d: Dayjs) => d.year() > thisYear + 1 || d.year() < 2000}
              onChange={(d) => d && pick({ year: d.year() })}
            />
          </label>
          <label>
            <span style={{ marginInlineEnd: 8 }}>区域</span>
            <AutoComplete
              aria-label="区域"
              style={{ width: 200 }}
              value={regionText}
              options={choices.map((c) => ({ value: c, label: `${regionName(c)} ${c}` }))}
              onChange={(v: string) => setRegionText(v)}
              onSelect={(v: string) => pick({ region: v })}
              onBlur={() =>
                REGION_PATTERN.test(regionText) && regionText !== region && pick({ region: regionText })
              }
              onKeyDown={(e) => {
                if (e.key === 'Enter' && REGION_PATTERN.test(regionText)) pick({ region: regionText });
              }}
              placeholder="6 位行政区划代码"
            />
          </label>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      {!REGION_PATTERN.test(region) && (
        <Alert type="info" showIcon message="请选择或输入 6 位行政区划代码" style={{ marginBottom: 16 }} />
      )}
      {targets && (
        <Typography.Paragraph data-testid="targets-heading">
          {regionName(region)}({region}){year} 年度目标
          {timeProgress ? `,时序进度 ${timeProgress}%` : ''}
        </Typography.Paragraph>
      )}
      <section aria-label="目标完成情况" data-testid="targets-table" style={{ marginBottom: 16 }}>
        <ProTable<Line>
          headerTitle="目标完成情况"
          rowKey="metric"
          columns={COLUMNS}
          dataSource={lines}
          loading={loading}
          search={false}
          pagination={false}
          options={false}
          scroll={{ x: 'max-content' }}
        />
      </section>
      {targets && mayEdit && (
        <TargetsForm year={year} region={region} current={targets} onSaved={() => void load()} />
      )}
      <section aria-label="调整记录" data-testid="targets-history">
        <ProTable<Change & { key: string }>
          headerTitle={`调整记录(${targets?.history.length ?? 0})`}
          rowKey="key"
          columns={HISTORY_COLUMNS}
          dataSource={(targets?.history ?? []).map((c, i) => ({ ...c, key: `${c.changedAt}-${i}` }))}
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
