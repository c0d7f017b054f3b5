import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Tag, Tooltip, message } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { previousQuarter } from '../../../../../libs/domain/src/quarters';
import { api, problemText, type Schemas } from '../../api/client';
import { download } from '../../api/ledger-routes';
import { regionName } from '../../regions';
import {
  percentText,
  RATE_COLUMNS,
  shanghaiMinute,
  TAG_STYLES,
  type Rates,
  type StalledEntry,
  type StoredReview,
  type SupervisionSummary,
} from './review-model';

type Item = Schemas['SupervisionItemView'];

/** One line of a rates table: the whole (合计) or one region or chain. */
interface RateRow {
  key: string;
  label: string;
  rates: Rates;
}

function rateColumns(first: string): ProColumns<RateRow>[] {
  return [
    { title: first, dataIndex: 'label', fixed: 'left' },
    { title: '项目数', dataIndex: 'projects', render: (_, r) => r.rates.projects },
    ...RATE_COLUMNS.map((c): ProColumns<RateRow> => ({
      title: c.title,
      dataIndex: c.key,
      render: (_, r) => {
        const ratio = c.of(r.rates);
        return (
          <Tooltip title={`${ratio.numerator} / ${ratio.denominator}`}>
            <span data-testid={`rate-${r.key}-${c.key}`}>{percentText(ratio)}</span>
          </Tooltip>
        );
      },
    })),
  ];
}

/** The 督办 items of some quarters, every page of them, by item id: for their live status and project. */
async function itemsOf(quarters: string[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (const quarter of quarters) {
    let cursor: string | undefined;
    // A review opens an item per stalled project and rule; forty pages is far beyond any region's.
    for (let page = 0; page < 40; page++) {
      const { data } = await api.GET('/api/supervision-items', { params: { query: { quarter, cursor } } });
      if (!data) break;
      for (const item of data.items) found.set(item.itemId, item);
      if (!data.nextCursor) break;
      cursor = data.nextCursor;
    }
  }
  return found;
}

function ItemLink({ itemId, items }: { itemId: string; items: Map<string, Item> }) {
  const item = items.get(itemId);
  return (
    <Space size={4} wrap>
      <Link to={`/supervision/${itemId}`}>督办事项</Link>
      {item && <Tag>{item.status.label}</Tag>}
    </Space>
  );
}

/** One quarter's 回头看 report. */
export function ReviewReport() {
  const { quarter = '' } = useParams();
  const [stored, setStored] = useState<StoredReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [items, setItems] = useState<Map<string, Item>>(new Map());
  const [itemsRead, setItemsRead] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [messages, holder] = message.useMessage();

  useEffect(() => {
    let live = true;
    setStored(null);
    setError(null);
    void api
      .GET('/api/reviews/{quarter}', { params: { path: { quarter } } })
      .then(({ data, error: problem }) => {
        if (!live) return;
        if (data) setStored(data);
        else setError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [quarter]);

  useEffect(() => {
    if (!stored) return;
    let live = true;
    const quarters = [stored.quarter];
    try {
      quarters.push(previousQuarter(stored.quarter).code);
    } catch {
      // 2000Q1 has no quarter before it worth asking for.
    }
    // Escalated and resolved items were opened by earlier reviews: ask for each quarter they name.
    for (const i of [...stored.report.supervision.escalated, ...stored.report.supervision.resolved]) {
      if (!quarters.includes(i.openedIn)) quarters.push(i.openedIn);
    }
    void itemsOf(quarters).then((found) => {
      if (!live) return;
      setItems(found);
      setItemsRead(true);
    });
    return () => {
      live = false;
    };
  }, [stored]);

  if (error) return <Result status="404" title="无法查看该回头看报告" subTitle={error} />;
  if (!stored) {
    return (
      <PageContainer title={`${quarter} 回头看报告`}>
        <Spin />
      </PageContainer>
    );
  }

  const { report } = stored;
  const regionRows: RateRow[] = [
    ...(report.rates.overall ? [{ key: 'overall', label: '合计', rates: report.rates.overall }] : []),
    ...report.rates.byRegion.map((g) => ({
      key: `region-${g.region}`,
      label: regionName(g.region),
      rates: g.rates,
    })),
  ];
  const chainRows: RateRow[] = report.rates.byIndustryChain.map((g) => ({
    key: `chain-${g.industryChain}`,
    label: g.industryChain,
    rates: g.rates,
  }));

  // The item this review opened (or found still stalled) on each stalled project and rule.
  const itemOf = new Map<string, string>();
  for (const i of [...report.supervision.opened, ...report.supervision.escalated]) {
    itemOf.set(`${i.projectId}|${i.rule}`, i.itemId);
  }
  const nameOf = new Map(report.stalled.map((s) => [s.projectId, s.name]));
  const projectName = (i: SupervisionSummary) =>
    items.get(i.itemId)?.projectName ?? nameOf.get(i.projectId) ?? i.projectId;

  const stalledColumns: ProColumns<StalledEntry>[] = [
    {
      title: '项目',
      dataIndex: 'name',
      render: (_, s) => <Link to={`/projects/${s.projectId}`}>{s.name}</Link>,
    },
    { title: '地区', dataIndex: 'region', render: (_, s) => regionName(s.region) },
    { title: '产业链', dataIndex: 'industryChain' },
    { title: '规则', dataIndex: 'ruleLabel' },
    {
      title: '类型',
      dataIndex: 'kind',
      render: (_, s) =>
        s.kind === 'red_flag' ? (
          <Tag style={TAG_STYLES.red}>红旗</Tag>
        ) : (
          <Tag style={TAG_STYLES.orange}>逾期</Tag>
        ),
    },
    { title: '应完成日期', dataIndex: 'dueDate', render: (_, s) => s.dueDate ?? '—' },
    { title: '预警级别', dataIndex: 'rung', render: (_, s) => (s.rung ? `第${s.rung}级` : '—') },
    {
      title: '督办',
      dataIndex: 'item',
      render: (_, s) => {
        const itemId = itemOf.get(`${s.projectId}|${s.rule}`);
        return itemId ? <ItemLink itemId={itemId} items={items} /> : '—';
      },
    },
  ];

  const resolvedIds = new Set(report.supervision.resolved.map((i) => i.itemId));
  const followUpColumns: ProColumns<SupervisionSummary>[] = [
    {
      title: '项目',
      dataIndex: 'projectId',
      render: (_, i) => <Link to={`/projects/${i.projectId}`}>{projectName(i)}</Link>,
    },
    { title: '地区', dataIndex: 'region', render: (_, i) => regionName(i.region) },
    { title: '规则', dataIndex: 'ruleLabel' },
    { title: '下发批次', dataIndex: 'openedIn' },
    {
      title: '结果',
      dataIndex: 'unrectified',
      render: (_, i) =>
        resolvedIds.has(i.itemId) ? (
          <Tag style={TAG_STYLES.green}>已整改</Tag>
        ) : (
          <Tag style={TAG_STYLES.red}>未整改 · 升至第{i.rung}级</Tag>
        ),
    },
    { title: '督办', dataIndex: 'itemId', render: (_, i) => <ItemLink itemId={i.itemId} items={items} /> },
  ];

  const fetchFile = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    const outcome = await download(
      `/api/reviews/${stored.quarter}.${format}`,
      `回头看-${stored.quarter}-r${stored.revision}.${format}`,
    );
    setBusy(null);
    if (!outcome.ok) void messages.error(`下载失败:${problemText(outcome.error)}`);
  };

  const table = { search: false, pagination: false, options: false, scroll: { x: 'max-content' } } as const;
  const followUps = [...report.supervision.escalated, ...report.supervision.resolved];
  return (
    <PageContainer
      title={`${stored.quarter} 回头看报告`}
      extra={[
        <Button
          key="xlsx"
          icon={<DownloadOutlined />}
          loading={busy === 'xlsx'}
          onClick={() => void fetchFile('xlsx')}
        >
          下载报告(Excel)
        </Button>,
        <Button
          key="csv"
          icon={<DownloadOutlined />}
          loading={busy === 'csv'}
          onClick={() => void fetchFile('csv')}
        >
          下载停滞项目(CSV)
        </Button>,
      ]}
    >
      {holder}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label="季度">{stored.quarter}</Descriptions.Item>
          <Descriptions.Item label="统计截至">{stored.asOf}</Descriptions.Item>
          <Descriptions.Item label="版本">第 {stored.revision} 版</Descriptions.Item>
          <Descriptions.Item label="运行时间">{shanghaiMinute(stored.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="运行人">{stored.createdBy}</Descriptions.Item>
          <Descriptions.Item label="政策版本">{report.policyVersion}</Descriptions.Item>
        </Descriptions>
      </Card>
      {report.rates.scope && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={`以下为您负责地区(${report.rates.scope.regions.map(regionName).join('、') || '无'})的数据`}
          description={
            report.rates.overall ? undefined : '该版报告未保存分地区分产业链的计数,合计与产业链指标无法给出。'
          }
        />
      )}
      <ProTable<RateRow>
        {...table}
        rowKey="key"
        headerTitle="分地区指标"
        columns={rateColumns('地区')}
        dataSource={regionRows}
        data-testid="rates-by-region"
      />
      <ProTable<RateRow>
        {...table}
        rowKey="key"
        headerTitle="分产业链指标"
        columns={rateColumns('产业链')}
        dataSource={chainRows}
      />
      <ProTable<StalledEntry>
        {...table}
        rowKey={(s) => `${s.projectId}|${s.rule}`}
        headerTitle={`停滞项目(${report.stalled.length})`}
        columns={stalledColumns}
        dataSource={report.stalled}
        loading={!itemsRead}
      />
      <ProTable<SupervisionSummary>
        {...table}
        rowKey="itemId"
        headerTitle={`上期督办事项整改情况(已整改 ${report.supervision.resolved.length},未整改 ${report.supervision.escalated.length})`}
        columns={followUpColumns}
        dataSource={followUps}
        loading={!itemsRead}
      />
    </PageContainer>
  );
}
