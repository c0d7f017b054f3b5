import { Alert, Tag, Tooltip, Typography } from 'antd';
import { ROLE_LABELS, type Role } from '../../../../../libs/domain/src/actor';
import type { ProjectEventType } from '../../../../../libs/domain/src/events';
import type { BrokenLink, FileFinding } from './audit-chain';

export const PROBLEM_LABELS: Record<string, string> = {
  version_gap: '事件序号不连续',
  previous_hash_mismatch: '前序哈希不符',
  hash_mismatch: '事件内容与哈希不符',
  head_mismatch: '链头与事件不符',
  missing_events: '事件缺失',
  rewritten_before_checkpoint: '检查点之前的事件被改写',
  file_missing: '证明材料已不在存储中',
  file_altered: '证明材料内容与事件记录的哈希不符',
};

export const EVENT_TYPE_LABELS: Record<ProjectEventType, string> = {
  LeadRegistered: '登记线索',
  TalksStarted: '进入在谈',
  ProjectSigned: '签约',
  ProjectLanded: '落地',
  ConstructionStarted: '开工',
  StatisticsEntered: '入统',
  ProductionStarted: '投产',
  FundsArrivedRecorded: '到位资金',
  BlockerRaised: '提出堵点',
  BlockerResolved: '解决堵点',
  ServiceVisitLogged: '走访',
  ServiceOfficerAssigned: '指派服务专员',
  ChiefServiceOfficerAssigned: '指派首席服务官',
  DeadlineExtended: '延长时限',
  ProjectDropped: '终止',
  ProjectReopened: '重新启动',
  EventCorrected: '更正',
  AlertRaised: '预警',
  AlertEscalated: '预警升级',
  LightChanged: '亮灯变化',
  AlertResolved: '预警解除',
  HistoryImported: '导入历史',
  DuplicateConfirmed: '确认重复',
};

export const eventTypeLabel = (type: string): string => EVENT_TYPE_LABELS[type as ProjectEventType] ?? type;
export const roleLabel = (role: string): string => ROLE_LABELS[role as Role] ?? role;

/** An instant in China's time zone, to the second: 2025-05-20 14:03:09. */
const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
});
export const shanghaiTime = (instant: string): string => shanghai.format(new Date(instant));

/** A hash shortened for the eye, the whole of it on hover and copied whole. */
export function Hash({ value, testId }: { value: string | undefined; testId?: string }) {
  if (!value) return <>—</>;
  return (
    <Tooltip title={value}>
      <Typography.Text
        code
        copyable={{ text: value, tooltips: ['复制', '已复制'] }}
        data-hash={value}
        data-testid={testId}
      >
        {value.length > 16 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value}
      </Typography.Text>
    </Tooltip>
  );
}

/** A link's verification result: green when it holds, red and named when it does not. */
export function LinkResult({ broken, unchecked }: { broken?: BrokenLink; unchecked?: boolean }) {
  if (broken) {
    return (
      <Tag color="#a8071a" data-link="broken">
        断裂:{PROBLEM_LABELS[broken.problem] ?? broken.problem}
      </Tag>
    );
  }
  if (unchecked) {
    return (
      <Tag color="default" data-link="unchecked">
        断点之后,未核验
      </Tag>
    );
  }
  return (
    <Tag color="#237804" data-link="verified">
      已核验
    </Tag>
  );
}

/** The evidence files verification found missing or altered, each beside the event that recorded it. */
export function FileFindings({ findings }: { findings: FileFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="file-findings"
      style={{ marginBottom: 16 }}
      message={`${findings.length} 份证明材料未通过核验`}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {findings.map((f) => (
            <li key={`${f.projectId}-${f.version}-${f.fileId}`} data-file-id={f.fileId}>
              第 {f.version} 条事件的「{f.name}」:{PROBLEM_LABELS[f.problem] ?? f.problem}(应为{' '}
              <Hash value={f.expected} />
              {f.found ? (
                <>
                  ,实为 <Hash value={f.found} />
                </>
              ) : null}
              )
            </li>
          ))}
        </ul>
      }
    />
  );
}
