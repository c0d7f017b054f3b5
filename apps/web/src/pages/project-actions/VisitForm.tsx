import { DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { PersonPicker } from '../../components/PersonPicker';
import { api } from '../../api/client';
import {
  ActionButtons,
  commandHeader,
  ActionFeedback,
  businessToday,
  chosen,
  isoDate,
  required,
  useActionWrite,
} from './action-form';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  visitDate: Dayjs;
  summary: string;
  officerId?: string;
}

/** 记录走访: a service visit to the company, by the caller unless another officer is named. */
export function VisitForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form);
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="visit"
      initialValues={{ visitDate: businessToday() }}
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/visits', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: {
              visitDate: isoDate(v.visitDate),
              summary: v.summary,
              officerId: v.officerId || undefined,
              files: filesOrNone(v),
            },
          }),
        )
      }
    >
      <Form.Item label="走访日期" name="visitDate" rules={[chosen('走访日期')]}>
        <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label="走访情况" name="summary" rules={[required('走访情况')]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item label="走访人员" name="officerId" extra="不选则为本人">
        <PersonPicker region={props.project.region} allowClear />
      </Form.Item>
      <EvidenceFields project={props.project} extraSlot="visit_photo" extraLabel="走访照片(选填)" />
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
