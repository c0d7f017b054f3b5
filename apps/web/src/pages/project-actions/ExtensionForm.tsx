import { Alert, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import {
  ActionButtons,
  ActionFeedback,
  chosen,
  commandHeader,
  isoDate,
  required,
  RequiredSelect,
  useActionWrite,
} from './action-form';
import type { ActionFormProps } from './types';

interface Values {
  deadlineId: string;
  newDueDate: Dayjs;
  reason: string;
}

/** 延期: a leader approves a later due date for one of the project's open deadlines. */
export function ExtensionForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form);
  const deadlines = props.project.deadlines;
  if (deadlines.length === 0) return <Alert type="info" showIcon message="该项目没有未办结的时限" />;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="extension"
      initialValues={deadlines.length === 1 ? { deadlineId: deadlines[0].id } : undefined}
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/extensions', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: { deadlineId: v.deadlineId, newDueDate: isoDate(v.newDueDate), reason: v.reason },
          }),
        )
      }
    >
      <Form.Item label="时限" name="deadlineId" rules={[chosen('要延期的时限')]}>
        <RequiredSelect
          options={deadlines.map((d) => ({
            value: d.id,
            label: `${d.ruleLabel} · 现到期日 ${d.dueDate}${d.extended ? '(已延期)' : ''}`,
          }))}
        />
      </Form.Item>
      <Form.Item label="新的到期日" name="newDueDate" rules={[chosen('新的到期日')]}>
        <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label="延期理由" name="reason" rules={[required('延期理由')]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
