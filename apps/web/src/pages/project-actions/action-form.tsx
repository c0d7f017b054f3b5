import { Alert, Button, Select, Space, type FormInstance, type SelectProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState } from 'react';
import { shanghaiDate } from '../../../../../libs/domain/src/dates';
import { newIdempotencyKey, sendWrite, showFieldErrors } from '../../api/write';
import { wanToYuan } from './amounts';
import type { ActionFormProps } from './types';

// Forms import it from here with the other helpers; it lives apart to be tested without a browser.
export { wanToYuan };

// antd's DatePicker reads weekdays and month names from dayjs' locale.
dayjs.locale('zh-cn');

/** What an openapi-fetch call answers, as sendWrite takes it. */
type Call<T> = Parameters<typeof sendWrite<T>>[0];

/** A refusal the form shows above its buttons: someone else's change (412), or the API's message. */
export interface ActionProblem {
  stale: boolean;
  message: string;
}

/**
 * One action's write: the Idempotency-Key kept from the form's opening until the write succeeds
 * (a double click or a retry is applied once), If-Match from the page's ETag, the API's field
 * errors put beside their fields, anything else kept for <ActionFeedback>.
 */
export function useActionWrite(
  props: ActionFormProps,
  form: FormInstance,
  aliases: Record<string, string> = {},
) {
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ActionProblem | null>(null);

  // A reload after a 412 gives a new ETag: the form's values stay, the warning goes.
  useEffect(() => setProblem(null), [props.etag]);

  async function run<T>(call: Call<T>): Promise<void> {
    if (sending) return;
    setSending(true);
    setProblem(null);
    const outcome = await sendWrite(call, { idempotencyKey: key, etag: props.etag });
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      props.onDone();
      return;
    }
    const rest = showFieldErrors(form, outcome.fieldErrors, { ...domainAliases(form), ...aliases });
    // A refusal placed at its field needs no second telling; any other is said above the buttons.
    if (outcome.stale || rest.length > 0 || outcome.fieldErrors.length === 0) {
      setProblem({ stale: outcome.stale, message: outcome.message });
    }
  }

  // A form's onFinish wants no promise back; every outcome is told in the form.
  const send = <T,>(call: Call<T>): void => void run(call);
  return { send, sending, problem };
}

/** The domain names a command's fields data.x; the form names them x. */
function domainAliases(form: FormInstance): Record<string, string> {
  const names = Object.keys((form.getFieldsValue() as Record<string, unknown>) ?? {});
  return Object.fromEntries(names.map((n) => [`data.${n}`, n]));
}

/** The refusal, or the 412 warning with a 刷新 button that reads the project again. */
export function ActionFeedback(props: { problem: ActionProblem | null; onReload: () => void }) {
  const { problem } = props;
  if (!problem) return null;
  if (problem.stale) {
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        message="该项目已被他人修改"
        description="刷新后将看到最新的项目,已填写的内容会保留,请确认后再提交。"
        action={
          <Button size="small" onClick={props.onReload}>
            刷新
          </Button>
        }
      />
    );
  }
  return <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={problem.message} />;
}

/** 提交 and 取消, the submit showing that the write is on its way (and taking no second click). */
export function ActionButtons(props: { sending: boolean; onCancel: () => void; submitText?: string }) {
  return (
    <Space>
      <Button type="primary" htmlType="submit" loading={props.sending}>
        {props.submitText ?? '提交'}
      </Button>
      <Button onClick={props.onCancel}>取消</Button>
    </Space>
  );
}

/**
 * Today as the API reckons it, in China's time zone: a browser on UTC would otherwise offer
 * yesterday between 00:00 and 08:00 Beijing time.
 */
export const businessToday = (): Dayjs => dayjs(shanghaiDate(new Date().toISOString()));

/** A date as the API takes it: YYYY-MM-DD. */
export const isoDate = (d: Dayjs): string => d.format('YYYY-MM-DD');
/** A month as the API takes it: YYYY-MM. */
export const isoMonth = (d: Dayjs): string => d.format('YYYY-MM');

/** A form rule for a 万元 amount: digits with at most six decimals (exact to the 分). */
export function wanRule(options: { signed?: boolean } = {}) {
  return {
    validator: (_: unknown, value: string | undefined) =>
      !value || wanToYuan(value, options) !== null
        ? Promise.resolve()
        : Promise.reject(
            new Error(
              options.signed
                ? '请输入以万元计的金额,如 3000 或 -12.5,最多六位小数'
                : '请输入以万元计的金额,如 3000 或 12.5,最多六位小数',
            ),
          ),
  };
}

/** The obvious rule: the field must be filled. */
export const required = (what: string) => ({ required: true, whitespace: true, message: `请填写${what}` });
export const chosen = (what: string) => ({ required: true, message: `请选择${what}` });
/**
 * antd's Select for a required field. Form.Item hands a required field's control aria-required,
 * which Select puts on its outer <div>, where ARIA does not allow it (axe: aria-allowed-attr).
 */
export function RequiredSelect(props: SelectProps & { 'aria-required'?: unknown }) {
  const { 'aria-required': _misplaced, ...rest } = props;
  return <Select {...rest} />;
}

/**
 * sendWrite's headers as the typed client wants them: project commands document Idempotency-Key
 * and If-Match among their parameters (If-Match is absent only before the page has read an ETag,
 * and the API then answers 428).
 */
export function commandHeader(headers: Record<string, string>) {
  return headers as { 'Idempotency-Key': string; 'If-Match': string };
}
