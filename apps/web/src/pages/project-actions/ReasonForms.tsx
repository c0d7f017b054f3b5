import { Form, Input } from 'antd';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { required } from './action-form';
import { TransitionForm } from './TransitionForm';
import type { ActionFormProps } from './types';

interface Values {
  reason: string;
}

function ReasonForm(
  props: ActionFormProps & { to: 'dropped' | 'reopen'; label: string; submitText: string },
) {
  const [form] = Form.useForm<Values>();
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name={props.to}
      submitText={props.submitText}
      body={(v) => ({ to: props.to, reason: v.reason.trim() })}
    >
      <Form.Item label={props.label} name="reason" rules={[required(props.label)]}>
        <Input.TextArea rows={3} maxLength={TEXT_LIMITS.reason} showCount />
      </Form.Item>
    </TransitionForm>
  );
}

/** 终止: why the project is dropped; its open deadlines close with it. */
export function DropForm(props: ActionFormProps) {
  return <ReasonForm {...props} to="dropped" label="终止原因" submitText="确认终止" />;
}

/** 重新启动: why a dropped project is taken up again; it returns to the stage it was dropped from. */
export function ReopenForm(props: ActionFormProps) {
  return <ReasonForm {...props} to="reopen" label="重新启动原因" submitText="确认重新启动" />;
}
