import { PageContainer } from '@ant-design/pro-components';
import { Card, Descriptions, Result, Spin, Steps, Table, Tag, Timeline } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { STAGE_LABELS, STAGE_ORDER } from '../../../../libs/domain/src/stages';
import { api, problemText, type Schemas } from '../api/client';
import { useMe } from '../me';
import { regionName } from '../regions';
import { Amount, LightDot } from './ProjectList';
import { ProjectActions } from './project-actions/ProjectActions';

type Detail = Schemas['ProjectDetailView'];
type Deadline = Schemas['DeadlineView'];
/** A business instant as the date officers write, in China's time zone: 2025-05-20. */
const shanghaiDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
const shanghaiDate = (instant: string): string => shanghaiDay.format(new Date(instant));

/** An event as GET /api/projects/{id}/history gives it (the route documents no body schema yet). */
interface HistoryEvent {
  version: number;
  type: string;
  businessTime: string;
  recordedAt: string;
  actorId: string;
  actorRole: string;
}

/** A project as its page shows it, read-only: the stages with their dates, the light, the open deadlines. */
export function ProjectPage() {
  const { id = '' } = useParams();
  const [project, setProject] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = useMe();
  // The event history is the auditors' to read (the audit.read capability).
  const readsHistory = me?.capabilities.includes('audit.read') ?? false;
  const [history, setHistory] = useState<HistoryEvent[] | null>(null);

  useEffect(() => {
    if (!readsHistory) return;
    let live = true;
    void api.GET('/api/projects/{id}/history', { params: { path: { id } } }).then(({ data, response }) => {
      if (live && response.ok) setHistory(data as unknown as HistoryEvent[]);
    });
    return () => {
      live = false;
    };
  }, [id, readsHistory]);

  // The ETag the project was read with: every action sends it as If-Match.
  const [etag, setEtag] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const reload = useCallback(() => setReads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    void api
      .GET('/api/projects/{id}', { params: { path: { id } } })
      .then(({ data, error: problem, response }) => {
        if (!live) return;
        if (data) {
          setProject(data);
          setEtag(response.headers.get('ETag'));
        } else setError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [id, reads]);

  if (error) return <Result status="404" title="无法查看该项目" subTitle={error} />;
  if (!project) return <Spin size="large" />;

  const dates = project.dates as Record<string, string | undefined>;
  const dropped = project.stage.code === 'dropped';
  const current = dropped
    ? Math.max(0, ...STAGE_ORDER.map((s, i) => (dates[s] ? i : 0)))
    : STAGE_ORDER.indexOf(project.stage.code as (typeof STAGE_ORDER)[number]);

  return (
    <PageContainer
      title={project.name}
      tags={[
        <Tag key="stage" data-testid="project-stage">
          {project.stage.label}
        </Tag>,
      ]}
    >
      <ProjectActions project={project} etag={etag} reload={reload} />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={current}
          status={dropped ? 'error' : 'process'}
          responsive
          size="small"
          items={STAGE_ORDER.map((s) => ({ title: STAGE_LABELS[s], description: dates[s] ?? '' }))}
        />
      </Card>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label="亮灯">
            <LightDot light={project.light} />
          </Descriptions.Item>
          <Descriptions.Item label="投资方">{project.investor.name}</Descriptions.Item>
          <Descriptions.Item label="区域">{regionName(project.region)}</Descriptions.Item>
          <Descriptions.Item label="产业链">{project.industryChain}</Descriptions.Item>
          <Descriptions.Item label="计划投资">
            <Amount yuan={project.plannedInvestment} />
          </Descriptions.Item>
          <Descriptions.Item label="合同投资">
            <Amount yuan={project.contractInvestment} />
          </Descriptions.Item>
          <Descriptions.Item label="到位资金">
            <Amount yuan={project.fundsArrivedTotal} />
          </Descriptions.Item>
          <Descriptions.Item label="服务专员">{project.serviceOfficerId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="首席服务官">{project.chiefServiceOfficerId ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="未办结时限">
        <Table<Deadline>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={project.deadlines}
          columns={[
            { title: '时限', dataIndex: 'ruleLabel' },
            { title: '到期日', dataIndex: 'dueDate' },
            { title: '亮灯', render: (_, d) => <LightDot light={d.light} /> },
            { title: '督办层级', dataIndex: 'rung', render: (r: number) => (r ? `第 ${r} 级` : '未逾期') },
            {
              title: '提醒对象',
              render: (_, d) =>
                d.addressee.id ? `${d.addressee.label}(${d.addressee.id})` : d.addressee.label,
            },
            { title: '逾期天数', dataIndex: 'daysOverdue' },
          ]}
        />
      </Card>
      {history && (
        <Card title="事件记录" style={{ marginTop: 16 }} data-testid="project-history">
          <Timeline
            items={history.map((e) => ({
              key: e.version,
              children: `${shanghaiDate(e.businessTime)} ${e.type} · ${e.actorRole} ${e.actorId}`,
            }))}
          />
        </Card>
      )}
    </PageContainer>
  );
}
