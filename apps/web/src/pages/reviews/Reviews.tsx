import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, Form, Input, Space, Spin, Steps, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { shanghaiDate } from '../../../../../libs/domain/src/dates';
import { api, problemText, type Schemas } from '../../api/client';
import { newIdempotencyKey, sendWrite, showFieldErrors } from '../../api/write';
import { useMe } from '../../me';
import { regionName } from '../../regions';
import { lastEnded, quarterRefusal, shanghaiMinute, TAG_STYLES } from './review-model';

/** A stored review's latest revision, as GET /api/reviews lists it. */
type ReviewRow = Schemas['ReviewRevisionView'];

/** A line of the list: a stored review, or the run under way of a quarter (its report not yet stored). */
type ListRow = (ReviewRow | ({ quarter: string } & Partial<ReviewRow>)) & { running?: boolean };

/** What a finished run answers (the workflow's ReviewRunResult). */
type RunResult = Schemas['ReviewRunResultView'];

/** A run started from this page: watched until it finishes. */
interface Run {
  quarter: string;
  workflowId: string | null;
  status: 'running' | 'completed' | 'failed';
  result: RunResult | null;
}

/** How often a running review is asked after: a review takes seconds, a person waits for it. */
const POLL_MS = 1000;

/** 开展回头看: a leader's or admin's form for an ended quarter, then the run's progress to its end. */
function RunReview({ onFinished, onRun }: { onFinished: () => void; onRun: (run: Run | null) => void }) {
  const [form] = Form.useForm<{ quarter: string }>();
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const today = shanghaiDate(new Date().toISOString());
  useEffect(() => onRun(run), [run, onRun]);

  // A run the API answered with 202 is asked after until its workflow ends.
  useEffect(() => {
    if (run?.status !== 'running' || !run.workflowId) return;
    let live = true;
    const workflowId = run.workflowId;
    const timer = setInterval(() => {
      void api
        .GET('/api/reviews/runs/{workflowId}', { params: { path: { workflowId } } })
        .then(({ data, error }) => {
          if (!live) return;
          if (!data) {
            setRun((r) => r && { ...r, status: 'failed' });
            setRefusal(problemText(error));
          } else if (data.status !== 'running') {
            setRun((r) => r && { ...r, status: data.status, result: data.result ?? null });
            if (data.status === 'completed') onFinished();
          }
        });
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [run?.status, run?.workflowId, onFinished]);

  const submit = async ({ quarter }: { quarter: string }) => {
    setSending(true);
    setRefusal(null);
    const code = quarter.trim();
    setRun({ quarter: code, workflowId: null, status: 'running', result: null });
    const outcome = await sendWrite(
      (headers) =>
        api.POST('/api/reviews', {
          params: { header: headers as { 'Idempotency-Key': string } },
          body: { quarter: code },
        }),
      { idempotencyKey: key },
    );
    setSending(false);
    if (!outcome.ok) {
      setRun(null);
      const rest = showFieldErrors(form, outcome.fieldErrors);
      if (rest.length || outcome.fieldErrors.length === 0) setRefusal(outcome.message);
      return;
    }
    setKey(newIdempotencyKey());
    // 200 with the result, or 202 with the run to watch (both documented).
    const answer = outcome.data;
    if ('status' in answer && answer.status === 'running') {
      setRun({ quarter: code, workflowId: answer.workflowId, status: 'running', result: null });
    } else {
      setRun({ quarter: code, workflowId: null, status: 'completed', result: answer as RunResult });
      onFinished();
    }
  };

  const step = !run ? 0 : run.status === 'running' ? 1 : 2;
  return (
    <Card title="开展回头看" size="small" style={{ marginBottom: 16 }} data-testid="run-review">
      <Form
        form={form}
        layout="inline"
        name="run-review"
        initialValues={{ quarter: lastEnded(today) }}
        onFinish={(v) => void submit(v)}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          label="季度"
          name="quarter"
          rules={[
            {
              validator: (_, value: string | undefined) => {
                const why = quarterRefusal(value, today);
                return why ? Promise.reject(new Error(why)) : Promise.resolve();
              },
            },
          ]}
          extra="已结束的季度,如 2025Q3"
        >
          <Input style={{ width: 140 }} maxLength={6} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={sending} disabled={run?.status === 'running'}>
            开始回头看
          </Button>
        </Form.Item>
      </Form>
      {refusal && <Alert type="error" showIcon role="alert" message={refusal} style={{ marginTop: 12 }} />}
      {run && (
        <div data-testid="run-progress" data-status={run.status} style={{ marginTop: 16 }}>
          <Steps
            size="small"
            current={step}
            status={run.status === 'failed' ? 'error' : run.status === 'completed' ? 'finish' : 'process'}
            items={[
              { title: '已提交' },
              { title: '运行中', icon: run.status === 'running' ? <Spin size="small" /> : undefined },
              { title: run.status === 'failed' ? '运行失败' : '已完成' },
            ]}
          />
          {run.status === 'completed' && run.result && (
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginTop: 12 }}
              message={`${run.result.quarter} 回头看已完成(截至 ${run.result.asOf},第 ${run.result.revision} 版${run.result.stored ? '' : ',与上一版相同'})`}
              description={
                <Space wrap>
                  <span>停滞项目 {run.result.stalled} 个</span>
                  <span>新下发督办 {run.result.opened} 件</span>
                  <span>未整改升级 {run.result.escalated} 件</span>
                  <span>已整改 {run.result.resolved} 件</span>
                  <Link to={`/reviews/${run.result.quarter}`}>查看报告</Link>
                </Space>
              }
            />
          )}
          {run.status === 'failed' && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              message={`${run.quarter} 回头看运行失败,请稍后重试`}
            />
          )}
        </div>
      )}
    </Card>
  );
}

/** 回头看: the quarterly reviews, run and read. */
export function Reviews() {
  const me = useMe();
  const [rows, setRows] = useState<ReviewRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((n) => n + 1), []);
  const runs = me?.capabilities.includes('review.run') ?? false;
  // A run under way shows in the list as 运行中 until its report is stored.
  const [running, setRunning] = useState<Run | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.GET('/api/reviews').then(({ data, error: problem }) => {
      if (!live) return;
      setLoading(false);
      setError(data ? null : problemText(problem));
      setRows(data ?? []);
    });
    return () => {
      live = false;
    };
  }, [reads]);

  // Every report is read as the reader may see it: their regions' rows and figures.
  const scope = me?.readsEverywhere ? '全部地区' : (me?.regions ?? []).map(regionName).join('、') || '—';
  const listed: ListRow[] = rows.map((r) =>
    running?.status === 'running' && running.quarter === r.quarter ? { ...r, running: true } : r,
  );
  if (running?.status === 'running' && !rows.some((r) => r.quarter === running.quarter)) {
    listed.unshift({ quarter: running.quarter, running: true });
  }
  const columns: ProColumns<ListRow>[] = [
    {
      title: '季度',
      dataIndex: 'quarter',
      render: (_, r) => <Link to={`/reviews/${r.quarter}`}>{r.quarter}</Link>,
    },
    { title: '范围', dataIndex: 'scope', render: () => scope },
    { title: '截至', dataIndex: 'asOf', render: (_, r) => r.asOf ?? '—' },
    {
      title: '状态',
      dataIndex: 'revision',
      render: (_, r) =>
        r.running ? (
          <Tag style={TAG_STYLES.gold}>运行中</Tag>
        ) : (
          <Tag style={TAG_STYLES.green}>已完成 · 第 {r.revision} 版</Tag>
        ),
    },
    {
      title: '运行时间',
      dataIndex: 'createdAt',
      render: (_, r) => (r.createdAt ? shanghaiMinute(r.createdAt) : '—'),
    },
    { title: '运行人', dataIndex: 'createdBy', render: (_, r) => r.createdBy ?? '—' },
  ];

  return (
    <PageContainer title="回头看">
      {runs && <RunReview onFinished={reload} onRun={setRunning} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <ProTable<ListRow>
        rowKey="quarter"
        headerTitle="已开展的回头看"
        columns={columns}
        dataSource={listed}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload, setting: true }}
      />
    </PageContainer>
  );
}
