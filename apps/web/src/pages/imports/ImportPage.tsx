import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Progress,
  Result,
  Select,
  Space,
  Statistic,
  Radio,
  Typography,
  message,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DUPLICATE_MATCH_LABELS } from '../../../../../libs/domain/src/duplicates';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { problemText } from '../../api/client';
import {
  download,
  ledgerRoutes,
  type CellProblem,
  type ImportRowView,
  type ImportView,
  type LedgerColumn,
  type RowOutcome,
} from '../../api/ledger-routes';
import { newIdempotencyKey, sendWrite } from '../../api/write';
import { regionName } from '../../regions';
import { momentText } from '../duplicates/Duplicates';
import { ImportStatusTag } from './ImportStatusTag';

/** How often a running dry run or import is read again. */
const POLL_MS = 1000;
const running = (v: ImportView | null) => v?.status === 'analysing' || v?.status === 'importing';

/** The import, read again while its job runs. */
function useImport(id: string) {
  const [view, setView] = useState<ImportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const answer = await ledgerRoutes.import(id);
      if (!live) return;
      if (answer.data) {
        setView(answer.data);
        setError(null);
        if (running(answer.data)) timer = setTimeout(() => void poll(), POLL_MS);
      } else setError(problemText(answer.error));
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, asked]);

  return { view, error, reload: () => setAsked((n) => n + 1) };
}

const UNIT_LABELS: Record<string, string> = { yuan: '元', wan: '万元', yi: '亿元' };
const SKIP = '__skip__';

/** The file's headers, each matched to a ledger column or 不导入, for the user to correct. */
function MappingCard(props: { view: ImportView; onRemapped: () => void }) {
  const { view } = props;
  const [columns, setColumns] = useState<LedgerColumn[]>([]);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [sheet, setSheet] = useState<string | null>(view.sheet);
  const [save, setSave] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void ledgerRoutes.columns().then((answer) => {
      if (answer.data) setColumns(answer.data);
    });
  }, []);
  // The analysis's own reading of the headers, whenever it changes (another sheet, a new mapping).
  useEffect(() => {
    setMapping(Object.fromEntries(view.headers.map((h) => [h.header, h.key])));
    setSheet(view.sheet);
  }, [view.headers, view.sheet]);

  const options = [
    { value: SKIP, label: '不导入' },
    ...columns.map((c) => ({ value: c.key, label: c.header })),
  ];
  const changed =
    sheet !== view.sheet || view.headers.some((h) => (mapping[h.header] ?? null) !== h.key) || save;

  const remap = async () => {
    setSending(true);
    setProblem(null);
    const outcome = await sendWrite(
      (headers) =>
        ledgerRoutes.remap(
          view.importId,
          { ...(sheet && sheet !== view.sheet ? { sheet } : {}), mapping, save },
          headers,
        ),
      { idempotencyKey: key },
    );
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      setSave(false);
      props.onRemapped();
    } else setProblem([outcome.message, ...outcome.fieldErrors.map((e) => e.message)].join(';'));
  };

  const rows = view.headers.map((h) => ({ ...h, chosen: mapping[h.header] ?? null }));
  const tableColumns: ProColumns<(typeof rows)[number]>[] = [
    { title: '文件中的列', key: 'header', dataIndex: 'header' },
    {
      title: '台账字段',
      key: 'key',
      render: (_, r) => (
        <Select
          aria-label={`“${r.header}”对应的台账字段`}
          style={{ minWidth: 160 }}
          showSearch
          optionFilterProp="label"
          value={r.chosen ?? SKIP}
          options={options}
          onChange={(value: string) =>
            setMapping((m) => ({ ...m, [r.header]: value === SKIP ? null : value }))
          }
        />
      ),
    },
    { title: '金额单位', key: 'unit', render: (_, r) => (r.unit ? UNIT_LABELS[r.unit] : '—') },
  ];

  return (
    <Card title="列对应" style={{ marginBottom: 16 }}>
      {view.sheets.length > 1 && (
        <Space style={{ marginBottom: 16 }} wrap>
          <label htmlFor="import-sheet">工作表</label>
          <Select
            id="import-sheet"
            style={{ minWidth: 160 }}
            value={sheet ?? undefined}
            options={view.sheets.map((s) => ({ value: s, label: s }))}
            onChange={(s: string) => setSheet(s)}
          />
        </Space>
      )}
      <Typography.Paragraph>
        按表头自动识别;识别不对的请改正,选“不导入”则忽略该列。金额单位按表头中的“元/万元/亿元”读取。
      </Typography.Paragraph>
      <ProTable
        rowKey="header"
        columns={tableColumns}
        dataSource={rows}
        search={false}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
        size="small"
      />
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginTop: 16 }} />}
      <Space style={{ marginTop: 16 }} wrap>
        <Checkbox checked={save} onChange={(e) => setSave(e.target.checked)}>
          保存为默认映射
        </Checkbox>
        <Button onClick={() => void remap()} loading={sending} disabled={!changed || running(view)}>
          按此对应重新试导入
        </Button>
      </Space>
    </Card>
  );
}

/** The outcomes of a dry run and of the import, each a tab of rows. */
const OUTCOME_TABS: { outcome: RowOutcome; label: string; count: keyof ImportView['counts'] }[] = [
  { outcome: 'bad', label: '有错误', count: 'bad' },
  { outcome: 'good', label: '可导入', count: 'good' },
  { outcome: 'changed', label: '有变化', count: 'changed' },
  { outcome: 'duplicate', label: '疑似重复', count: 'duplicates' },
  { outcome: 'unchanged', label: '无变化', count: 'unchanged' },
  { outcome: 'imported', label: '已导入', count: 'imported' },
  { outcome: 'failed', label: '导入失败', count: 'failed' },
];

interface ProblemLine extends CellProblem {
  line: string;
}

/** One outcome's rows, a page at a time. */
function RowsTable(props: {
  view: ImportView;
  outcome: RowOutcome;
  confirmed: Set<number>;
  onConfirm: (row: number, yes: boolean) => void;
}) {
  const { view, outcome } = props;
  const [items, setItems] = useState<ImportRowView[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A new analysis or a finished import changes the rows: read them again from the first page.
  useEffect(() => setCursor(undefined), [view.status, view.counts]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    void ledgerRoutes.rows(view.importId, { outcome, cursor }).then((answer) => {
      if (!live) return;
      setLoading(false);
      if (answer.data) {
        setItems(answer.data.items);
        setNext(answer.data.nextCursor);
        setError(null);
      } else setError(problemText(answer.error));
    });
    return () => {
      live = false;
    };
  }, [view.importId, view.status, view.counts, outcome, cursor]);

  const paging = (
    <Space key="paging">
      <Button disabled={!cursor} onClick={() => setCursor(undefined)}>
        首页
      </Button>
      <Button disabled={!next} onClick={() => setCursor(next ?? undefined)}>
        下一页
      </Button>
    </Space>
  );
  const projectCell = (r: ImportRowView) =>
    r.projectId ? <Link to={`/projects/${r.projectId}`}>{r.name ?? r.projectId}</Link> : (r.name ?? '—');

  if (outcome === 'bad' || outcome === 'failed') {
    const lines: ProblemLine[] = items.flatMap((r) =>
      r.problems.length > 0
        ? r.problems.map((p, i) => ({ ...p, line: `${r.row}-${i}` }))
        : [{ row: r.row, column: '—', key: null, value: '', rule: '', message: '—', line: `${r.row}-0` }],
    );
    const columns: ProColumns<ProblemLine>[] = [
      { title: '行', key: 'row', dataIndex: 'row', width: 64 },
      { title: '列', key: 'column', dataIndex: 'column' },
      { title: '值', key: 'value', render: (_, p) => p.value || '(空)' },
      { title: '问题', key: 'message', dataIndex: 'message' },
    ];
    return (
      <>
        {error && <Alert type="error" showIcon role="alert" message={error} />}
        <ProTable<ProblemLine>
          rowKey="line"
          columns={columns}
          dataSource={lines}
          loading={loading}
          search={false}
          pagination={false}
          options={false}
          scroll={{ x: 'max-content' }}
          toolBarRender={() => [paging]}
        />
      </>
    );
  }

  const columns: ProColumns<ImportRowView>[] = [
    { title: '行', key: 'row', dataIndex: 'row', width: 64 },
    { title: '项目', key: 'name', render: (_, r) => projectCell(r) },
  ];
  if (outcome === 'changed') {
    columns.push({
      title: '变化',
      key: 'changes',
      render: (_, r) => (
        <ul style={{ margin: 0, paddingInlineStart: 16 }}>
          {r.changes.map((c) => (
            <li key={c.column}>
              {c.column}:{c.from ?? '(空)'} → {c.to ?? '(空)'}
            </li>
          ))}
        </ul>
      ),
    });
  }
  if (outcome === 'duplicate') {
    columns.push(
      {
        title: '疑似重复于',
        key: 'of',
        render: (_, r) =>
          r.duplicateOf ? (
            <span>
              <Link to={`/projects/${r.duplicateOf.projectId}`}>{r.duplicateOf.name}</Link>(
              {regionName(r.duplicateOf.region)} ·{' '}
              {DUPLICATE_MATCH_LABELS[r.duplicateOf.match] ?? r.duplicateOf.match})
            </span>
          ) : (
            '—'
          ),
      },
      {
        title: '确认',
        key: 'confirm',
        render: (_, r) => (
          <Checkbox
            checked={props.confirmed.has(r.row)}
            disabled={view.status !== 'analysed'}
            onChange={(e) => props.onConfirm(r.row, e.target.checked)}
          >
            确认不是重复,照常导入
          </Checkbox>
        ),
      },
    );
  }
  return (
    <>
      {error && <Alert type="error" showIcon role="alert" message={error} />}
      <ProTable<ImportRowView>
        rowKey="row"
        columns={columns}
        dataSource={items}
        loading={loading}
        search={false}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
        toolBarRender={() => [paging]}
      />
    </>
  );
}

/** One import: its column mapping, its dry run's outcome by row, 导入, and the import's progress. */
export function ImportPage() {
  const { id = '' } = useParams();
  const { view, error, reload } = useImport(id);
  const [confirmed, setConfirmed] = useState<Set<number>>(new Set());
  // Recorded with each confirmed duplicate; the API words one of its own when none is given.
  const [reason, setReason] = useState('');
  const [tab, setTab] = useState<RowOutcome | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [messages, holder] = message.useMessage();

  // A new analysis asks again which duplicates to import.
  useEffect(() => setConfirmed(new Set()), [view?.headers, view?.sheet]);

  const tabs = useMemo(
    () =>
      view
        ? OUTCOME_TABS.filter(
            (t) =>
              view.counts[t.count] > 0 ||
              (t.outcome !== 'imported' && t.outcome !== 'failed' && view.status !== 'done'),
          )
        : [],
    [view],
  );
  const shownTab = tab && tabs.some((t) => t.outcome === tab) ? tab : (tabs[0]?.outcome ?? 'bad');

  if (error && !view) return <Result status="warning" title="无法读取导入" subTitle={error} />;
  if (!view) return <PageContainer title="导入台账" loading />;

  const toImport = view.counts.good + view.counts.changed + confirmed.size;
  const confirm = async () => {
    setSending(true);
    setProblem(null);
    const outcome = await sendWrite(
      (headers) =>
        ledgerRoutes.confirm(
          view.importId,
          {
            confirmDuplicates: [...confirmed],
            ...(confirmed.size > 0 && reason.trim() ? { reason: reason.trim() } : {}),
          },
          headers,
        ),
      { idempotencyKey: key },
    );
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      reload();
    } else setProblem([outcome.message, ...outcome.fieldErrors.map((e) => e.message)].join(';'));
  };
  const fetchMarked = async () => {
    setBusy(true);
    const base = view.fileName.replace(/\.(xlsx|csv)$/i, '');
    const outcome = await download(
      `/api/imports/${encodeURIComponent(view.importId)}/marked.xlsx`,
      `${base}-错误标注.xlsx`,
    );
    setBusy(false);
    if (!outcome.ok) void messages.error(`下载失败:${problemText(outcome.error)}`);
  };

  const importing = view.status === 'importing' || view.status === 'done';
  return (
    <PageContainer title={`导入台账:${view.fileName}`} onBack={() => history.back()}>
      {holder}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="文件">{view.fileName}</Descriptions.Item>
          <Descriptions.Item label="工作表">{view.sheet ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <ImportStatusTag status={view.status} />
          </Descriptions.Item>
          <Descriptions.Item label="导入人">{view.createdByName ?? view.createdBy}</Descriptions.Item>
          <Descriptions.Item label="上传时间">{momentText(view.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="完成时间">{momentText(view.finishedAt)}</Descriptions.Item>
        </Descriptions>
        {view.error && (
          <Alert type="error" showIcon role="alert" message={view.error} style={{ marginTop: 16 }} />
        )}
        {view.status === 'analysing' && (
          <Typography.Paragraph style={{ marginTop: 16 }}>正在试导入,请稍候……</Typography.Paragraph>
        )}
        {importing && (
          <div style={{ marginTop: 16 }}>
            <Progress
              percent={view.progress.percent}
              status={view.status === 'done' ? 'success' : 'active'}
              aria-label="导入进度"
            />
            <Typography.Text data-testid="import-progress">
              已处理 {view.progress.done} / {view.progress.total} 行
            </Typography.Text>
          </div>
        )}
        {view.status === 'done' && (
          <Alert
            type={view.counts.failed > 0 ? 'warning' : 'success'}
            showIcon
            style={{ marginTop: 16 }}
            message={`导入完成:已导入 ${view.counts.imported} 个项目${view.counts.failed > 0 ? `,${view.counts.failed} 行失败` : ''}`}
            // Under the message, not beside it: on a phone an action beside it squeezes it to nothing.
            description={
              <Space wrap>
                <Button size="small" onClick={() => setTab('imported')}>
                  查看已导入的项目
                </Button>
                <Link to="/projects">打开项目台账</Link>
              </Space>
            }
          />
        )}
      </Card>
      {/* A failed reading (the wrong sheet, say) is put right here too. */}
      {(view.status === 'analysed' ||
        view.status === 'analysing' ||
        (view.status === 'failed' && view.sheets.length > 0)) && (
        <MappingCard view={view} onRemapped={reload} />
      )}
      <Card title="试导入结果" style={{ marginBottom: 16 }}>
        <Space size="large" wrap style={{ display: 'flex', marginBottom: 16 }}>
          <Statistic title="总行数" value={view.counts.rows} />
          <Statistic title="可导入" value={view.counts.good} />
          <Statistic title="有错误" value={view.counts.bad} />
          <Statistic title="有变化" value={view.counts.changed} />
          <Statistic title="无变化" value={view.counts.unchanged} />
          <Statistic title="疑似重复" value={view.counts.duplicates} />
        </Space>
        {problem && (
          <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />
        )}
        {view.status === 'analysed' && confirmed.size > 0 && (
          <Form layout="vertical" style={{ maxWidth: 560 }}>
            <Form.Item
              label={`确认 ${confirmed.size} 条疑似重复不是重复的理由`}
              htmlFor="import-duplicate-reason"
            >
              <Input
                id="import-duplicate-reason"
                maxLength={TEXT_LIMITS.reason}
                value={reason}
                placeholder="如 同一投资方的另一期项目,可不填"
                onChange={(e) => setReason(e.target.value)}
              />
            </Form.Item>
          </Form>
        )}
        <Space wrap style={{ display: 'flex', marginBottom: 16 }}>
          {view.status === 'analysed' && (
            <Button type="primary" loading={sending} disabled={toImport === 0} onClick={() => void confirm()}>
              导入 {toImport} 条
            </Button>
          )}
          {view.counts.bad > 0 && (
            <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void fetchMarked()}>
              下载标注错误的表格
            </Button>
          )}
        </Space>
        {/* Radio buttons rather than antd's Tabs, whose overflow button breaks the tablist's ARIA. */}
        <Radio.Group
          aria-label="按结果查看"
          optionType="button"
          value={shownTab}
          onChange={(e) => setTab(e.target.value as RowOutcome)}
          options={tabs.map((t) => ({ value: t.outcome, label: `${t.label} (${view.counts[t.count]})` }))}
          style={{ marginBottom: 16, display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
        />
        <div data-testid="import-rows">
          <RowsTable
            key={shownTab}
            view={view}
            outcome={shownTab}
            confirmed={confirmed}
            onConfirm={(row, yes) =>
              setConfirmed((s) => {
                const next = new Set(s);
                if (yes) next.add(row);
                else next.delete(row);
                return next;
              })
            }
          />
        </div>
      </Card>
    </PageContainer>
  );
}
