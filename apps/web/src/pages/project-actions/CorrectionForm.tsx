import { Alert, DatePicker, Form, Input, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { CORRECTABLE_EVENT_TYPES, type CorrectableEventType } from '../../../../../libs/domain/src/commands';
import { api, type Schemas } from '../../api/client';
import { toWanYuan } from '../../../../../libs/domain/src/money';
import { amountText } from '../../format';
import {
  ActionButtons,
  ActionFeedback,
  chosen,
  commandHeader,
  isoDate,
  isoMonth,
  required,
  RequiredSelect,
  useActionWrite,
  wanRule,
  wanToYuan,
} from './action-form';
import type { ActionFormProps } from './types';

type Changes = Schemas['CorrectionChangesDto'];
type Kind = 'text' | 'date' | 'month' | 'wan' | 'signedWan';

/** The plain fields a correction of each event type may change, with their Chinese labels. */
const FIELDS: Record<CorrectableEventType, { name: keyof Changes; label: string; kind: Kind }[]> = {
  LeadRegistered: [
    { name: 'name', label: '项目名称', kind: 'text' },
    { name: 'industryChain', label: '产业链', kind: 'text' },
    { name: 'park', label: '园区', kind: 'text' },
    { name: 'plannedInvestment', label: '计划投资(万元)', kind: 'wan' },
    { name: 'source', label: '线索来源', kind: 'text' },
    { name: 'leadDate', label: '线索日期', kind: 'date' },
  ],
  TalksStarted: [
    { name: 'talksDate', label: '在谈日期', kind: 'date' },
    { name: 'leadingOfficial', label: '领衔领导', kind: 'text' },
  ],
  ProjectSigned: [
    { name: 'contractDate', label: '签约日期', kind: 'date' },
    { name: 'contractInvestment', label: '合同投资(万元)', kind: 'wan' },
    { name: 'contractNumber', label: '合同编号', kind: 'text' },
    { name: 'plannedProductionDate', label: '计划投产日期', kind: 'date' },
  ],
  ProjectLanded: [
    { name: 'creditCode', label: '统一社会信用代码', kind: 'text' },
    { name: 'companyName', label: '项目公司名称', kind: 'text' },
    { name: 'landedDate', label: '落地日期', kind: 'date' },
  ],
  ConstructionStarted: [{ name: 'startDate', label: '开工日期', kind: 'date' }],
  StatisticsEntered: [
    { name: 'statisticsCode', label: '项目统计代码', kind: 'text' },
    { name: 'inStatsDate', label: '入统日期', kind: 'date' },
  ],
  ProductionStarted: [{ name: 'productionDate', label: '投产日期', kind: 'date' }],
  FundsArrivedRecorded: [
    { name: 'month', label: '到位月份', kind: 'month' },
    { name: 'amount', label: '到位金额(万元)', kind: 'signedWan' },
  ],
};

/** A recorded event a correction may name: its version in the project's stream and its type. */
export interface CorrectableEvent {
  version: number;
  type: CorrectableEventType;
  label: string;
  /** What the form starts from: the event's values where the page knows them. */
  values?: Record<string, unknown>;
}

type TimelineEntry = Schemas['TimelineEntryView'];
const isCorrectable = (type: string): type is CorrectableEventType =>
  (CORRECTABLE_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The project's events a correction may name, as its timeline tells them (each with its Chinese
 * sentence); a 到位资金 entry starts from the month and amount recorded.
 */
export function correctableEvents(
  project: ActionFormProps['project'],
  timeline: TimelineEntry[],
): CorrectableEvent[] {
  const funds = new Map(project.fundsArrived.map((f) => [f.version, f]));
  return timeline.flatMap((e) => {
    if (!isCorrectable(e.type)) return [];
    const entry = funds.get(e.version);
    const values = entry ? { month: dayjs(`${entry.month}-01`), amount: wanOf(entry.amount) } : undefined;
    return [{ version: e.version, type: e.type, label: e.sentence, values }];
  });
}

/** Until the timeline answers (or if it cannot), the 到位资金 entries, whose versions the page has. */
function fundsEvents(project: ActionFormProps['project']): CorrectableEvent[] {
  return project.fundsArrived.map((f) => ({
    version: f.version,
    type: 'FundsArrivedRecorded' as const,
    label: `到位资金 ${f.month} · ${amountText(f.amount)}`,
    values: { month: dayjs(`${f.month}-01`), amount: wanOf(f.amount) },
  }));
}

/** The correctable events of the project, from its timeline. */
function useCorrectableEvents(project: ActionFormProps['project']): CorrectableEvent[] | null {
  const [events, setEvents] = useState<CorrectableEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/projects/{id}/timeline', { params: { path: { id: project.projectId } } })
      .then(({ data }) => {
        if (live) setEvents(data ? correctableEvents(project, data) : fundsEvents(project));
      });
    return () => {
      live = false;
    };
  }, [project]);
  return events;
}

/** A yuan string in 万元 for the form: exact (six decimals reach the 分), trailing zeros dropped. */
function wanOf(yuan: string): string {
  return toWanYuan(yuan, 6).replace(/\.?0+$/, '');
}

interface Values {
  correctsVersion: number;
  reason: string;
  changes: Record<string, unknown>;
}

/** 更正: a correcting event naming the event it corrects, with the new values; nothing is edited. */
export function CorrectionForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const events = useCorrectableEvents(props.project);
  const [event, setEvent] = useState<CorrectableEvent | null>(null);
  const fields = event ? FIELDS[event.type] : [];
  const aliases = {
    ...Object.fromEntries(fields.map((f) => [`data.changes.${f.name}`, `changes.${f.name}`])),
    // 'nothing to change' is about the whole correction: said above the buttons, not at a field.
    'data.changes': 'data.changes',
  };
  const { send, sending, problem } = useActionWrite(props, form, aliases);
  if (events === null) return <Spin />;
  if (events.length === 0) return <Alert type="info" showIcon message="该项目没有可更正的记录" />;

  function changesOf(values: Record<string, unknown>): Changes {
    const out: Record<string, unknown> = { eventType: event!.type };
    for (const f of fields) {
      const v = values[f.name];
      if (v === undefined || v === null || v === '') continue;
      if (f.kind === 'date') out[f.name] = isoDate(v as Dayjs);
      else if (f.kind === 'month') out[f.name] = isoMonth(v as Dayjs);
      else if (f.kind === 'wan' || f.kind === 'signedWan')
        out[f.name] = wanToYuan(v as string, { signed: f.kind === 'signedWan' });
      else out[f.name] = (v as string).trim();
    }
    return out as Changes;
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="correction"
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/corrections', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: {
              correctsVersion: v.correctsVersion,
              reason: v.reason,
              changes: changesOf(v.changes ?? {}),
            },
          }),
        )
      }
    >
      <Form.Item label="更正的记录" name="correctsVersion" rules={[chosen('要更正的记录')]}>
        <RequiredSelect
          options={events.map((e) => ({ value: e.version, label: e.label }))}
          onChange={(version: number) => {
            const picked = events.find((e) => e.version === version) ?? null;
            setEvent(picked);
            form.setFieldValue('changes', picked?.values ?? {});
          }}
        />
      </Form.Item>
      {fields.map((f) => (
        <Form.Item
          key={f.name}
          label={f.label}
          name={['changes', f.name]}
          rules={
            f.kind === 'wan' || f.kind === 'signedWan' ? [wanRule({ signed: f.kind === 'signedWan' })] : []
          }
        >
          {f.kind === 'date' ? (
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          ) : f.kind === 'month' ? (
            <DatePicker picker="month" format="YYYY-MM" style={{ width: '100%' }} />
          ) : (
            <Input inputMode={f.kind === 'text' ? undefined : 'decimal'} />
          )}
        </Form.Item>
      ))}
      <Form.Item label="更正理由" name="reason" rules={[required('更正理由')]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
