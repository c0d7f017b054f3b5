import { Card, Timeline } from 'antd';
import type { TimelineEntry } from './types';

/** Events the deadline timers record: shown in the alert colours. */
const ALERT_COLOURS: Record<string, string> = {
  AlertRaised: 'red',
  AlertEscalated: 'red',
  LightChanged: 'orange',
  AlertResolved: 'green',
  AlertAcknowledged: 'gray',
};

/** The project's history in Chinese, newest first. */
export function TimelineCard({ entries, error }: { entries: TimelineEntry[] | null; error: string | null }) {
  return (
    <Card title="项目动态" style={{ marginBottom: 16 }} data-testid="project-timeline">
      {error ? (
        <div role="alert">{error}</div>
      ) : (
        <Timeline
          pending={entries === null ? '加载中' : undefined}
          items={[...(entries ?? [])].reverse().map((e) => ({
            // An acknowledgement shares its alert's version.
            key: `${e.version}-${e.type}-${e.recordedAt}`,
            color: ALERT_COLOURS[e.type] ?? 'blue',
            children: e.sentence,
          }))}
        />
      )}
    </Card>
  );
}
