import { PageContainer } from '@ant-design/pro-components';
import { Card, Descriptions, Result, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ANOMALY_LABELS, type AnomalyCode } from '../../../../libs/domain/src/events';
import { api, problemText } from '../api/client';
import { useMe } from '../me';
import { regionName } from '../regions';
import { Amount, LightDot } from './ProjectList';
import { ProjectActions } from './project-actions/ProjectActions';
import { AuditHistoryCard } from './project-page/AuditHistoryCard';
import { BlockersCard } from './project-page/BlockersCard';
import { DeadlinesCard } from './project-page/DeadlinesCard';
import { EvidenceCard } from './project-page/EvidenceCard';
import { FundsCard } from './project-page/FundsCard';
import { StageSteps } from './project-page/StageSteps';
import { TimelineCard } from './project-page/TimelineCard';
import type { Detail, TimelineEntry } from './project-page/types';
import { VisitsCard } from './project-page/VisitsCard';

/** A person as the page shows them: the directory's name, else the id. */
const personText = (name: string | null | undefined, id: string | null | undefined): string =>
  name ?? id ?? '—';

/**
 * A project as its page shows it: the stages with their dates and evidence, the light and open
 * deadlines, its timeline in Chinese, funds by month, blockers and visits, and the actions the
 * caller may take now.
 */
export function ProjectPage() {
  const { id = '' } = useParams();
  const [project, setProject] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[] | null>(null);
  const [timelineError, setTimelineError] = useState<string | null>(null);
  // The raw event record is the auditors' to read (the audit.read capability).
  const readsHistory = useMe()?.capabilities.includes('audit.read') ?? false;

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

  useEffect(() => {
    let live = true;
    void api
      .GET('/api/projects/{id}/timeline', { params: { path: { id } } })
      .then(({ data, error: problem }) => {
        if (!live) return;
        if (data) {
          setTimeline(data);
          setTimelineError(null);
        } else setTimelineError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [id, reads]);

  if (error) return <Result status="404" title="无法查看该项目" subTitle={error} />;
  if (!project) return <Spin size="large" />;

  return (
    <PageContainer
      title={project.name}
      // The header's links take pro-layout's lighter blue (3.7:1): the theme's own, which passes AA.
      extra={
        readsHistory && (
          <Link to={`/projects/${id}/history`} style={{ color: '#0958d9' }}>
            审计轨迹
          </Link>
        )
      }
      tags={[
        <Tag key="stage" data-testid="project-stage">
          {project.stage.label}
        </Tag>,
        ...project.anomalies.map((a) => (
          <Tag key={a} color="#a8071a">
            {ANOMALY_LABELS[a as AnomalyCode] ?? a}
          </Tag>
        )),
      ]}
    >
      <ProjectActions project={project} etag={etag} reload={reload} />
      <Card style={{ marginBottom: 16 }}>
        <StageSteps project={project} />
      </Card>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label="亮灯">
            <span data-testid="project-light">
              <LightDot light={project.light} />
            </span>
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
          <Descriptions.Item label="服务专员">
            <span data-testid="project-service-officer">
              {personText(project.serviceOfficerName, project.serviceOfficerId)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="首席服务官">
            {personText(project.chiefServiceOfficerName, project.chiefServiceOfficerId)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <DeadlinesCard deadlines={project.deadlines} />
      <FundsCard entries={project.fundsArrived} total={project.fundsArrivedTotal} />
      <BlockersCard blockers={project.blockers} />
      <EvidenceCard project={project} />
      <VisitsCard project={project} timeline={timeline} />
      <TimelineCard entries={timeline} error={timelineError} />
      {readsHistory && <AuditHistoryCard projectId={id} reads={reads} />}
    </PageContainer>
  );
}
