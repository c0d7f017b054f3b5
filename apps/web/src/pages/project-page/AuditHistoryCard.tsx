import { Card, Timeline } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';

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

/**
 * The raw event record for auditors (the audit.read capability): each event's type, role and id as
 * stored, beside the timeline everyone reads in Chinese.
 */
export function AuditHistoryCard({ projectId, reads }: { projectId: string; reads: number }) {
  const [history, setHistory] = useState<HistoryEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/projects/{id}/history', { params: { path: { id: projectId } } })
      .then(({ data, response }) => {
        if (live && response.ok) setHistory(data as unknown as HistoryEvent[]);
      });
    return () => {
      live = false;
    };
  }, [projectId, reads]);
  if (!history) return null;
  return (
    <Card title="事件记录(审计)" style={{ marginBottom: 16 }} data-testid="project-history">
      <Timeline
        items={history.map((e) => ({
          key: e.version,
          children: `${shanghaiDate(e.businessTime)} ${e.type} · ${e.actorRole} ${e.actorId}`,
        }))}
      />
    </Card>
  );
}
