import { DatePicker, Form, Input, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  BLOCKER_CATEGORIES,
  BLOCKER_CATEGORY_LABELS,
  type BlockerCategory,
  type DepartmentRole,
} from '../../../../../libs/domain/src/attributes';
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
  category: BlockerCategory;
  description: string;
  responsibleDepartment: string;
  departmentRole: DepartmentRole;
  dueDate?: Dayjs | null;
}

/** 登记堵点: what holds the project up, the department that must clear it, and by when. */
export function BlockerForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form);
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name="blocker"
      initialValues={{ departmentRole: 'lead' }}
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/blockers', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: {
              category: v.category,
              description: v.description,
              responsibleDepartment: v.responsibleDepartment,
              departmentRole: v.departmentRole,
              dueDate: v.dueDate ? isoDate(v.dueDate) : undefined,
            },
          }),
        )
      }
    >
      <Form.Item label="堵点类别" name="category" rules={[chosen('堵点类别')]}>
        <RequiredSelect
          options={BLOCKER_CATEGORIES.map((c) => ({ value: c, label: BLOCKER_CATEGORY_LABELS[c] }))}
        />
      </Form.Item>
      <Form.Item label="问题描述" name="description" rules={[required('问题描述')]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item label="责任部门" name="responsibleDepartment" rules={[required('责任部门')]}>
        <Input placeholder="如 市自然资源和规划局" />
      </Form.Item>
      <Form.Item label="部门职责" name="departmentRole">
        <Radio.Group
          options={[
            { value: 'lead', label: '牵头' },
            { value: 'co_handling', label: '协办' },
          ]}
        />
      </Form.Item>
      <Form.Item label="办结期限" name="dueDate" extra="不填则按政策:牵头 7 个工作日,协办 3 个工作日">
        <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
      </Form.Item>
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}
