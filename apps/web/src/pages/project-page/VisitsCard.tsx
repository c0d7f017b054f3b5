import { Card, Descriptions, List } from 'antd';
import type { Detail, TimelineEntry } from './types';

/** 走访服务: how many, the last one, and each visit (from the timeline: the project keeps only their count). */
export function VisitsCard({ project, timeline }: { project: Detail; timeline: TimelineEntry[] | null }) {
  const visits = (timeline ?? []).filter((e) => e.type === 'ServiceVisitLogged').reverse();
  return (
    <Card title="走访服务" style={{ marginBottom: 16 }} data-testid="project-visits">
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        <Descriptions.Item label="走访次数">{project.serviceVisits}</Descriptions.Item>
        <Descriptions.Item label="最近走访">{project.lastVisitDate ?? '—'}</Descriptions.Item>
      </Descriptions>
      {visits.length > 0 && (
        <List
          size="small"
          dataSource={visits}
          renderItem={(v) => <List.Item key={v.version}>{v.sentence}</List.Item>}
        />
      )}
    </Card>
  );
}
