import { Card, Timeline } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';

/** The latest events the card shows; the auditor's history page pages through every one. */
const LATEST = 20;

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
  const [history, setHistory] = useState<{ events: HistoryEvent[]; total: number } | null>(null);
  useEffect(() => {
    let live = true;
    const page = (afterVersion?: number) =>
      api.GET('/api/projects/{id}/history', {
        params: { path: { id: projectId }, query: { limit: LATEST, afterVersion } },
      });
    void (async () => {
      // Versions run 1…total: the first page says the total, and the last LATEST follow total − LATEST.
      let answer = await page();
      const total = Number(answer.response.headers.get('X-Total-Count') ?? 0);
      if (answer.response.ok && total > LATEST) answer = await page(total - LATEST);
      if (live && answer.response.ok) setHistory({ events: answer.data as unknown as HistoryEvent[], total });
    })();
    return () => {
      live = false;
    };
  }, [projectId, reads]);
  if (!history) return null;
  return (
    <Card
      title="事件记录(审计)"
      style={{ marginBottom: 16 }}
      data-testid="project-history"
      extra={
        // Only when there are more: the page's header links to the whole 审计轨迹 already.
        history.total > history.events.length && (
          <Link to={`/projects/${projectId}/history`} style={{ color: '#0958d9' }}>
            最近 {history.events.length} 条,共 {history.total} 条
          </Link>
        )
      }
    >
      <Timeline
        items={history.events.map((e) => ({
          key: e.version,
          children: `${shanghaiDate(e.businessTime)} ${e.type} · ${e.actorRole} ${e.actorId}`,
        }))}
      />
    </Card>
  );
}
