import { DatePicker, Form, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { shanghaiDate } from '../../../../../libs/domain/src/dates';
import { api, type Schemas } from '../../api/client';
import { ActionButtons, ActionFeedback, chosen, commandHeader, useActionWrite } from './action-form';
import type { ActionFormProps } from './types';

/** What POST /api/projects/{id}/transitions takes: the target stage and its evidence. */
export type TransitionBody = Schemas['TransitionDto'];
type Answer = Awaited<ReturnType<typeof postTransition>>;

function postTransition(id: string, body: TransitionBody, headers: Record<string, string>) {
  return api.POST('/api/projects/{id}/transitions', {
    params: { path: { id }, header: commandHeader(headers) },
    body,
  });
}

/** Today in China, whatever the browser's time zone: business dates are China's. */
export const chinaToday = (): Dayjs => dayjs(shanghaiDate(new Date().toISOString()));

/** A business date has happened: the picker offers no day after today (the API holds the rule). */
export const notFuture = (d: Dayjs) => d.isAfter(chinaToday(), 'day');

/** A business date's field: today by default, YYYY-MM-DD as officers write it. */
export function DateField(props: { name: string; label: string; optional?: boolean; future?: boolean }) {
  return (
    <Form.Item
      label={props.label}
      name={props.name}
      rules={props.optional ? [] : [chosen(props.label)]}
      initialValue={props.optional ? undefined : chinaToday()}
    >
      <DatePicker
        format="YYYY-MM-DD"
        style={{ width: '100%' }}
        disabledDate={props.future ? undefined : notFuture}
      />
    </Form.Item>
  );
}

/**
 * One stage transition's form: its fields, and the write every transition shares (Idempotency-Key
 * kept until it succeeds, If-Match from the page's ETag, refused fields beside their fields, the
 * 412 warning with 刷新). `body` turns the form's values into the route's body; `revise` may put the
 * API's answer into words the officer reads before the form shows it.
 */
export function TransitionForm<V extends object>(
  props: ActionFormProps & {
    form: FormInstance<V>;
    name: string;
    body: (values: V) => TransitionBody;
    revise?: (answer: Answer, values: V) => Answer;
    submitText?: string;
    children: ReactNode;
  },
) {
  const { send, sending, problem } = useActionWrite(props, props.form);
  return (
    <Form<V>
      form={props.form}
      layout="vertical"
      name={props.name}
      onFinish={(values) =>
        send(async (headers) => {
          const answer = await postTransition(props.project.projectId, props.body(values), headers);
          return props.revise ? props.revise(answer, values) : answer;
        })
      }
    >
      {props.children}
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} submitText={props.submitText} />
    </Form>
  );
}

/** A date picked in the form as the API takes it, or undefined when left empty. */
export const dateOf = (d: Dayjs | null | undefined): string | undefined =>
  d ? d.format('YYYY-MM-DD') : undefined;
/** Text left empty is not sent. */
export const textOf = (t: string | null | undefined): string | undefined =>
  t?.trim() ? t.trim() : undefined;

/**
 * "Choose one" for a select or a radio group. antd marks a required field's control aria-required,
 * which a select's or a radio group's wrapper may not carry (axe: aria-allowed-attr); this rule asks
 * the same without the mark.
 */
export const picked = (what: string) => ({
  validator: (_: unknown, value: unknown) =>
    value === undefined || value === null || value === ''
      ? Promise.reject(new Error(`请选择${what}`))
      : Promise.resolve(),
});

/** A label with the required mark that `picked` fields lack (antd draws it only for a required rule). */
export function PickedLabel(props: { children: ReactNode }) {
  return (
    <span>
      <span aria-hidden style={{ color: '#cf1322', marginInlineEnd: 4, fontFamily: 'SimSun, sans-serif' }}>
        *
      </span>
      {props.children}
    </span>
  );
}
