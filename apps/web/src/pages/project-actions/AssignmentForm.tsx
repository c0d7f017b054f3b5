import { Form, Input } from 'antd';
import { PersonPicker } from '../../components/PersonPicker';
import { api } from '../../api/client';
import { ActionButtons, ActionFeedback, chosen, commandHeader, useActionWrite } from './action-form';
import type { ActionFormProps } from './types';

interface Values {
  personId: string;
  reason?: string;
  guaranteeLeaderId?: string;
}

type Position = 'service_officer' | 'chief_service_officer';

// The domain names the assignee by the command's own field.
const ALIASES = { 'data.officerId': 'personId', 'data.chiefOfficerId': 'personId' };

/** Names the project's 服务专员 (with a reason) or its 首席服务官 (with the 包保领导), picked by name. */
function AssignmentForm(props: ActionFormProps & { position: Position }) {
  const [form] = Form.useForm<Values>();
  const { send, sending, problem } = useActionWrite(props, form, ALIASES);
  const officer = props.position === 'service_officer';
  const region = props.project.region;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      name={`assign-${props.position}`}
      onFinish={(v) =>
        send((headers) =>
          api.POST('/api/projects/{id}/assignments', {
            params: { path: { id: props.project.projectId }, header: commandHeader(headers) },
            body: officer
              ? { position: 'service_officer', personId: v.personId, reason: v.reason?.trim() || undefined }
              : {
                  position: 'chief_service_officer',
                  personId: v.personId,
                  guaranteeLeaderId: v.guaranteeLeaderId || undefined,
                },
          }),
        )
      }
    >
      <Form.Item
        label={officer ? '服务专员' : '首席服务官'}
        name="personId"
        rules={[chosen(officer ? '服务专员' : '首席服务官')]}
      >
        <PersonPicker role={officer ? 'officer' : 'chief_officer'} region={region} />
      </Form.Item>
      {officer ? (
        <Form.Item label="调整原因" name="reason">
          <Input.TextArea rows={2} />
        </Form.Item>
      ) : (
        <Form.Item label="包保领导" name="guaranteeLeaderId">
          <PersonPicker role="leader" region={region} allowClear />
        </Form.Item>
      )}
      <ActionFeedback problem={problem} onReload={props.onReload} />
      <ActionButtons sending={sending} onCancel={props.onCancel} />
    </Form>
  );
}

export function AssignServiceOfficerForm(props: ActionFormProps) {
  return <AssignmentForm {...props} position="service_officer" />;
}

export function AssignChiefServiceOfficerForm(props: ActionFormProps) {
  return <AssignmentForm {...props} position="chief_service_officer" />;
}
