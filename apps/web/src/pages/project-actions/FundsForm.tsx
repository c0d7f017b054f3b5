import { DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import {
  ActionButtons,
  commandHeader,
  ActionFeedback,
  chosen,
  isoMonth,
  required,
  useActionWrite,
  wanRule,
  wanToYuan,
} from './action-form';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  month: Dayjs;
  amount: string;
  note?: string;
}

/** 录入到位资金: the money that arrived in a month, typed in 万元; a negative amount adjusts. */
export function FundsForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form);
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="funds"
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/funds', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: {
              month: isoMonth(v.month),
              // The rule below admits only what converts exactly.
              amount: wanToYuan(v.amount, { signed: true })!,
              note: v.note?.trim() || undefined,
              files: filesOrNone(v),
            },
          }),
        )
      }
    >
      <Form.Item label="到位月份" name="month" rules={[chosen('到位月份')]}>
        <DatePicker picker="month" format="YYYY-MM" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        label="到位金额(万元)"
        name="amount"
        rules={[required('到位金额'), wanRule({ signed: true })]}
        extra="负数用于冲减以前月份多录的金额"
      >
        <Input inputMode="decimal" suffix="万元" />
      </Form.Item>
      <Form.Item label="备注" name="note">
        <Input.TextArea rows={2} />
      </Form.Item>
      <EvidenceFields project={props.project} extraSlot="funds_receipt" extraLabel="资金到位凭证(选填)" />
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
