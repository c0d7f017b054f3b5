import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Result,
  Space,
  Switch,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { LIGHT_LABELS, type Light } from '../../../../../libs/domain/src/alerts';
import { STAGE_LABELS, type StageCode } from '../../../../../libs/domain/src/stages';
import { api, problemText } from '../../api/client';
import { regionName } from '../../regions';
import { Amount } from '../ProjectList';
import { chainRows, type ChainRow, type HistoryEvent, type VerifyReport } from './audit-chain';
import {
  FileFindings,
  Hash,
  LinkResult,
  PROBLEM_LABELS,
  eventTypeLabel,
  roleLabel,
  shanghaiTime,
} from './audit-model';

/** The project state as GET /api/projects/{id}/state folds it (only the fields shown here are named). */
type State = Record<string, unknown> & { exists: boolean };
interface StateAnswer {
  eventsApplied: number;
  state: State;
}

const money = (v: unknown) => <Amount yuan={(v as string | null) ?? null} />;
const text = (v: unknown): string =>
  v == null || v === ''
    ? '—'
    : typeof v === 'object'
      ? JSON.stringify(v)
      : `${v as string | number | boolean}`;

/** The fields compared between then and now, with how users read them. */
const FIELDS: { key: string; label: string; show?: (v: unknown) => ReactNode }[] = [
  { key: 'name', label: '项目名称' },
  { key: 'stage', label: '阶段', show: (v) => (v ? STAGE_LABELS[v as StageCode] : '—') },
  { key: 'investor', label: '投资方', show: (v) => text((v as { name?: string } | null)?.name) },
  { key: 'region', label: '区域', show: (v) => (v ? regionName(v as string) : '—') },
  { key: 'industryChain', label: '产业链' },
  { key: 'park', label: '园区' },
  { key: 'industrial', label: '工业项目', show: (v) => (v == null ? '—' : v ? '是' : '否') },
  { key: 'plannedInvestment', label: '计划投资', show: money },
  { key: 'source', label: '来源' },
  { key: 'leadingOfficial', label: '牵头领导' },
  { key: 'contractInvestment', label: '合同投资', show: money },
  { key: 'contractNumber', label: '合同编号' },
  { key: 'plannedProductionDate', label: '计划投产日期' },
  { key: 'creditCode', label: '统一社会信用代码' },
  { key: 'companyName', label: '项目公司' },
  { key: 'statisticsCode', label: '入统编码' },
  { key: 'leadDate', label: '线索日期' },
  { key: 'talksDate', label: '在谈日期' },
  { key: 'signedDate', label: '签约日期' },
  { key: 'landedDate', label: '落地日期' },
  { key: 'startedDate', label: '开工日期' },
  { key: 'inStatsDate', label: '入统日期' },
  { key: 'productionDate', label: '投产日期' },
  { key: 'droppedDate', label: '终止日期' },
  { key: 'dropReason', label: '终止原因' },
  { key: 'fundsArrivedTotal', label: '到位资金', show: money },
  { key: 'serviceOfficerId', label: '服务专员' },
  { key: 'chiefServiceOfficerId', label: '首席服务官' },
  { key: 'light', label: '亮灯', show: (v) => (v ? LIGHT_LABELS[v as Light] : '—') },
  { key: 'serviceVisits', label: '走访次数' },
  { key: 'version', label: '已计入事件数' },
];

const MONEY_FIELDS = new Set(['plannedInvestment', 'contractInvestment', 'fundsArrivedTotal']);

/** Events on one page of the history (the API gives at most 500). */
const PAGE_SIZE = 20;

/** One page of the history as the API pages it: the events, how many in all, and where the next starts. */
interface HistoryPage {
  events: HistoryEvent[];
  total: number;
  nextAfterVersion: number | null;
}

/** GET /api/projects/{id}/history for one page: the body is the events, the headers say the rest. */
async function readHistoryPage(
  id: string,
  query: { afterVersion: number; limit: number; type?: 'EventCorrected' },
): Promise<{ page: HistoryPage } | { error: string }> {
  const { data, error, response } = await api.GET('/api/projects/{id}/history', {
    params: { path: { id }, query },
  });
  if (!response.ok) return { error: problemText(error) };
  const next = response.headers.get('X-Next-After-Version');
  const events = data ?? [];
  return {
    page: {
      events,
      total: Number(response.headers.get('X-Total-Count') ?? events.length),
      nextAfterVersion: next === null ? null : Number(next),
    },
  };
}

/** Every correction of the history, page after page (a project has few). */
function useCorrections(id: string) {
  const [corrections, setCorrections] = useState<HistoryEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const all: HistoryEvent[] = [];
      let afterVersion: number | null = 0;
      while (afterVersion !== null) {
        const answer = await readHistoryPage(id, { afterVersion, limit: 500, type: 'EventCorrected' });
        if (!live || 'error' in answer) return;
        all.push(...answer.page.events);
        afterVersion = answer.page.nextAfterVersion;
      }
      if (live) setCorrections(all);
    })();
    return () => {
      live = false;
    };
  }, [id]);
  return corrections;
}

function HashChain({ rows }: { rows: ChainRow[] }) {
  return (
    <Card title="哈希链" size="small" style={{ marginBottom: 16 }} data-testid="hash-chain">
      <Timeline
        items={rows.map((e) => ({
          key: e.version,
          color: e.broken ? '#a8071a' : e.unchecked ? 'gray' : '#237804',
          children: (
            <div
              data-testid={`chain-link-${e.version}`}
              data-link={e.broken ? 'broken' : e.unchecked ? 'unchecked' : 'verified'}
            >
              <Space wrap size={4}>
                <Typography.Text strong>
                  #{e.version} {eventTypeLabel(e.type)}
                </Typography.Text>
                <LinkResult broken={e.broken} unchecked={e.unchecked} />
              </Space>
              <div>
                前一哈希 <Hash value={e.previousHash} /> → 本事件哈希 <Hash value={e.hash} />
              </div>
              {e.broken && (
                <Typography.Text type="danger">
                  应为 <Hash value={e.broken.expected} />
                  ,实为 <Hash value={e.broken.found} />
                </Typography.Text>
              )}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** Back and forth between pages, following the cursor each page gives for the next. */
function HistoryPager({
  number,
  total,
  hasNext,
  loading,
  onPrevious,
  onNext,
}: {
  number: number;
  total: number;
  hasNext: boolean;
  loading: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <Space
      wrap
      style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}
      data-testid="history-pager"
      data-page={number}
    >
      <Typography.Text>
        第 {number} / {Math.max(1, Math.ceil(total / PAGE_SIZE))} 页,共 {total} 条事件
      </Typography.Text>
      <Button onClick={onPrevious} disabled={number === 1 || loading}>
        上一页
      </Button>
      <Button onClick={onNext} disabled={!hasNext || loading}>
        下一页
      </Button>
    </Space>
  );
}

function EventsTab({ rows, loading, pager }: { rows: ChainRow[]; loading: boolean; pager: ReactNode }) {
  const columns: ProColumns<ChainRow>[] = [
    { title: '序号', dataIndex: 'version', width: 64 },
    {
      title: '类型',
      dataIndex: 'type',
      render: (_, e) => (
        <>
          {eventTypeLabel(e.type)} <Typography.Text type="secondary">{e.type}</Typography.Text>
        </>
      ),
    },
    { title: '业务时间', dataIndex: 'businessTime', render: (_, e) => shanghaiTime(e.businessTime) },
    { title: '记录时间', dataIndex: 'recordedAt', render: (_, e) => shanghaiTime(e.recordedAt) },
    { title: '录入人', dataIndex: 'actorId' },
    { title: '角色', dataIndex: 'actorRole', render: (_, e) => roleLabel(e.actorRole) },
    { title: '指令ID', dataIndex: 'commandId', render: (_, e) => <Hash value={e.commandId} /> },
    { title: '哈希', dataIndex: 'hash', render: (_, e) => <Hash value={e.hash} /> },
    { title: '前一哈希', dataIndex: 'previousHash', render: (_, e) => <Hash value={e.previousHash} /> },
    {
      title: '链接核验',
      dataIndex: 'broken',
      render: (_, e) => <LinkResult broken={e.broken} unchecked={e.unchecked} />,
    },
  ];
  return (
    <>
      <HashChain rows={rows} />
      <ProTable<ChainRow>
        headerTitle="事件记录"
        rowKey="version"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        options={false}
        scroll={{ x: 'max-content' }}
        // Paged by the API: a project may hold thousands of events.
        pagination={false}
        data-testid="history-table"
      />
      {pager}
    </>
  );
}

interface Comparison {
  key: string;
  label: string;
  then: unknown;
  now: unknown;
  changed: boolean;
  show?: (v: unknown) => ReactNode;
}

interface CorrectionRow {
  key: string;
  version: number;
  recordedAt: string;
  correctsVersion: number;
  field: string;
  replaced: unknown;
  value: unknown;
  reason: string;
  afterPicked: boolean;
}

const fieldLabel = (key: string) => FIELDS.find((f) => f.key === key)?.label ?? key;
const valueText = (key: string, v: unknown): ReactNode =>
  MONEY_FIELDS.has(key) ? money(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : text(v);

/** Every field a correction replaced: the value before it and the value it set. */
function correctionsOf(corrected: HistoryEvent[], knownAt: string): CorrectionRow[] {
  return corrected
    .filter((e) => e.type === 'EventCorrected')
    .flatMap((e) => {
      const data = e.data as {
        correctsVersion: number;
        reason: string;
        changes: Record<string, unknown>;
        previous: Record<string, unknown>;
      };
      return Object.keys(data.changes)
        .filter((field) => field !== 'eventType')
        .map((field) => ({
          key: `${e.version}-${field}`,
          version: e.version,
          recordedAt: e.recordedAt,
          correctsVersion: data.correctsVersion,
          field,
          replaced: data.previous?.[field],
          value: data.changes[field],
          reason: data.reason,
          afterPicked: Date.parse(e.recordedAt) > Date.parse(knownAt),
        }));
    });
}

function useProjectState(id: string, query: { asOf?: string; knownAt?: string }) {
  const [answer, setAnswer] = useState<StateAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { asOf, knownAt } = query;
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/projects/{id}/state', { params: { path: { id }, query: { asOf, knownAt } } })
      .then(({ data, error: problem, response }) => {
        if (!live) return;
        if (response.ok) {
          setAnswer(data as unknown as StateAnswer);
          setError(null);
        } else setError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [id, asOf, knownAt]);
  return { answer, error };
}

function TimeTravelTab({ id }: { id: string }) {
  const [params, setParams] = useSearchParams();
  // Both default to now: the date today and this instant, fixed when the page opened.
  const [opened] = useState(() => dayjs());
  const asOfParam = params.get('asOf');
  const knownAtParam = params.get('knownAt');
  const asOf = asOfParam ? dayjs(asOfParam) : opened;
  const knownAt = knownAtParam ? dayjs(knownAtParam) : opened;
  const query = { asOf: asOf.format('YYYY-MM-DD'), knownAt: knownAt.toISOString() };
  const then = useProjectState(id, query);
  // The state now: every event recorded, in effect today.
  const now = useProjectState(id, {});

  const set = (key: 'asOf' | 'knownAt', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.set('tab', 'state');
    setParams(next, { replace: true });
  };

  const rows: Comparison[] =
    then.answer && now.answer
      ? FIELDS.map((f) => {
          const a = then.answer!.state.exists ? then.answer!.state[f.key] : null;
          const b = now.answer!.state[f.key];
          return { ...f, then: a, now: b, changed: JSON.stringify(a ?? null) !== JSON.stringify(b ?? null) };
        })
      : [];
  const [changedOnly, setChangedOnly] = useState(false);
  const shown = changedOnly ? rows.filter((r) => r.changed) : rows;
  const corrected = useCorrections(id);
  const corrections = correctionsOf(corrected ?? [], query.knownAt);

  const columns: ProColumns<Comparison>[] = [
    {
      title: '字段',
      dataIndex: 'label',
      render: (_, r) => (
        <Space size={4} wrap>
          {r.label}
          {r.changed && <Tag color="#ad4e00">有变化</Tag>}
        </Space>
      ),
    },
    {
      title: '所选时点',
      dataIndex: 'then',
      render: (_, r) => <span data-testid={`then-${r.key}`}>{(r.show ?? text)(r.then)}</span>,
    },
    {
      title: '现在',
      dataIndex: 'now',
      render: (_, r) => <span data-testid={`now-${r.key}`}>{(r.show ?? text)(r.now)}</span>,
    },
  ];
  const correctionColumns: ProColumns<CorrectionRow>[] = [
    {
      title: '更正',
      dataIndex: 'version',
      render: (_, c) => (
        <Space size={4} wrap>
          #{c.version} 更正第 {c.correctsVersion} 条{c.afterPicked && <Tag color="#ad4e00">所选时点之后</Tag>}
        </Space>
      ),
    },
    { title: '记录时间', dataIndex: 'recordedAt', render: (_, c) => shanghaiTime(c.recordedAt) },
    { title: '字段', dataIndex: 'field', render: (_, c) => fieldLabel(c.field) },
    {
      title: '被替换的值',
      dataIndex: 'replaced',
      render: (_, c) => <Typography.Text delete>{valueText(c.field, c.replaced)}</Typography.Text>,
    },
    { title: '更正为', dataIndex: 'value', render: (_, c) => valueText(c.field, c.value) },
    { title: '原因', dataIndex: 'reason' },
  ];

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label="业务日期" htmlFor="audit-as-of" tooltip="在这一天生效的状态">
            <DatePicker
              id="audit-as-of"
              allowClear={false}
              style={{ width: 200 }}
              value={asOf}
              onChange={(d: Dayjs | null) => set('asOf', d ? d.format('YYYY-MM-DD') : null)}
            />
          </Form.Item>
          <Form.Item
            label="记录时点"
            htmlFor="audit-known-at"
            tooltip="系统在这一刻所知道的(只计入此前记录的事件)"
          >
            <DatePicker
              id="audit-known-at"
              showTime
              allowClear={false}
              style={{ width: 200 }}
              format="YYYY-MM-DD HH:mm:ss"
              value={knownAt}
              // The picker says seconds: what was recorded within that second was known at it.
              onChange={(d: Dayjs | null) => set('knownAt', d ? d.endOf('second').toISOString() : null)}
            />
          </Form.Item>
        </Form>
      </Card>
      {(then.error ?? now.error) && (
        <Alert type="error" showIcon message={then.error ?? now.error} style={{ marginBottom: 16 }} />
      )}
      {then.answer && (
        <Typography.Paragraph data-testid="state-summary">
          所选时点计入 {then.answer.eventsApplied} 条事件
          {then.answer.state.exists ? '' : '(项目当时尚未登记)'}
          ;现在计入 {now.answer?.eventsApplied ?? '—'} 条。
        </Typography.Paragraph>
      )}
      <ProTable<Comparison>
        headerTitle="状态对比"
        toolBarRender={() => [
          <Space key="changed" size={8}>
            <Switch id="audit-changed-only" size="small" checked={changedOnly} onChange={setChangedOnly} />
            <label htmlFor="audit-changed-only">只看有变化的字段</label>
          </Space>,
        ]}
        rowKey="key"
        columns={columns}
        dataSource={shown}
        loading={!then.answer || !now.answer}
        search={false}
        options={false}
        pagination={false}
        // Three columns that wrap fit a phone: then and now side by side, without scrolling.
        tableLayout="fixed"
        rowClassName={(r) => (r.changed ? 'audit-changed' : '')}
        onRow={(r) => ({ 'data-changed': r.changed ? 'true' : 'false', 'data-field': r.key }) as never}
        data-testid="state-comparison"
      />
      <ProTable<CorrectionRow>
        headerTitle="更正记录"
        rowKey="key"
        columns={correctionColumns}
        dataSource={corrections}
        loading={!corrected}
        search={false}
        options={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 16 }}
        data-testid="corrections"
      />
      {/* The changed rows stand out in a warm tint whose text keeps AA contrast. */}
      <style>{`.audit-changed > td { background: #fff7e6 !important; }`}</style>
    </>
  );
}

/** A project's events with their chain, page by page, and its state at any business date and record instant. */
export function ProjectHistory() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [name, setName] = useState<string | null>(null);
  // Where each page visited starts (the cursor the page before gave): the last is the one shown.
  const [starts, setStarts] = useState<number[]>([0]);
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [loadingPage, setLoadingPage] = useState(true);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const afterVersion = starts[starts.length - 1];

  useEffect(() => {
    setStarts([0]);
    let live = true;
    void api.GET('/api/projects/{id}', { params: { path: { id } } }).then(({ data }) => {
      if (live && data) setName(data.name);
    });
    void api
      .GET('/api/audit/verify', { params: { query: { projectId: id } } })
      .then(({ data, error: p, response }) => {
        if (!live) return;
        if (response.ok) setReport(data ?? null);
        else setVerifyError(problemText(p));
      });
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    let live = true;
    setLoadingPage(true);
    void readHistoryPage(id, { afterVersion, limit: PAGE_SIZE }).then((answer) => {
      if (!live) return;
      setLoadingPage(false);
      if ('error' in answer) setError(answer.error);
      else setPage(answer.page);
    });
    return () => {
      live = false;
    };
  }, [id, afterVersion]);

  const rows = useMemo(
    () => (page ? chainRows(page.events, report, { last: page.nextAfterVersion === null }) : []),
    [page, report],
  );
  if (error) return <Result status="404" title="无法查看该项目的审计轨迹" subTitle={error} />;

  // The whole chain's verdict; a link this page finds broken counts too.
  const broken = rows.find((r) => r.broken)?.broken ?? report?.broken[0];
  const tab = params.get('tab') === 'state' ? 'state' : 'events';
  const pager = page && (
    <HistoryPager
      number={starts.length}
      total={page.total}
      hasNext={page.nextAfterVersion !== null}
      loading={loadingPage}
      onPrevious={() => setStarts((s) => (s.length > 1 ? s.slice(0, -1) : s))}
      onNext={() => {
        const next = page.nextAfterVersion;
        if (next !== null) setStarts((s) => [...s, next]);
      }}
    />
  );
  return (
    <PageContainer
      title={`审计轨迹${name ? ` · ${name}` : ''}`}
      onBack={() => window.history.back()}
      // The header's links take pro-layout's lighter blue (3.7:1): the theme's own, which passes AA.
      extra={
        <Link to={`/projects/${id}`} style={{ color: '#0958d9' }}>
          返回项目页
        </Link>
      }
      loading={!page}
    >
      {verifyError && (
        <Alert
          type="warning"
          showIcon
          message={`未能核验哈希链:${verifyError}`}
          style={{ marginBottom: 16 }}
        />
      )}
      {report && (
        <Alert
          data-testid="chain-verdict"
          data-ok={broken ? 'false' : 'true'}
          type={broken ? 'error' : 'success'}
          showIcon
          style={{ marginBottom: 16 }}
          message={
            broken
              ? `哈希链在第 ${broken.version} 条事件处断裂:${PROBLEM_LABELS[broken.problem] ?? broken.problem}`
              : `哈希链完整:${report.events} 条事件均已核验`
          }
          description={
            broken?.expected ? (
              <>
                应为 <Hash value={broken.expected} />
                ,实为 <Hash value={broken.found} />
              </>
            ) : undefined
          }
        />
      )}
      {report && <FileFindings findings={report.files.broken} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={[
          {
            key: 'events',
            label: '事件与哈希链',
            children: <EventsTab rows={rows} loading={loadingPage} pager={pager} />,
          },
          { key: 'state', label: '时点回溯', children: <TimeTravelTab id={id} /> },
        ]}
      />
    </PageContainer>
  );
}
