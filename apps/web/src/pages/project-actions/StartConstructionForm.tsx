import { Form, Input, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { required } from './action-form';
import { DateField, TransitionForm, dateOf, picked, PickedLabel } from './TransitionForm';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  startDate: Dayjs;
  evidence: { kind: 'construction_permit' | 'other'; permitNumber?: string; description?: string };
}

/** 开工: the start date and what shows real construction, a permit or other evidence. */
export function StartConstructionForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch(['evidence', 'kind'], form) ?? 'construction_permit';
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="start"
      body={(v) => ({
        to: 'started',
        files: filesOrNone(v),
        startDate: dateOf(v.startDate),
        evidence:
          v.evidence.kind === 'construction_permit'
            ? { kind: 'construction_permit', permitNumber: v.evidence.permitNumber?.trim() }
            : { kind: 'other', description: v.evidence.description?.trim() },
      })}
    >
      <DateField name="startDate" label="开工日期" />
      <Form.Item
        label={<PickedLabel>开工依据</PickedLabel>}
        name={['evidence', 'kind']}
        initialValue="construction_permit"
        rules={[picked('开工依据')]}
      >
        <Radio.Group
          options={[
            { value: 'construction_permit', label: '施工许可证' },
            { value: 'other', label: '其他依据' },
          ]}
        />
      </Form.Item>
      {kind === 'construction_permit' ? (
        <Form.Item
          label="施工许可证编号"
          name={['evidence', 'permitNumber']}
          rules={[required('施工许可证编号')]}
        >
          <Input maxLength={TEXT_LIMITS.permitNumber} />
        </Form.Item>
      ) : (
        <Form.Item
          label="开工依据说明"
          name={['evidence', 'description']}
          rules={[required('开工依据说明')]}
          extra="须为实质性开工(如桩基施工),场地平整不算"
        >
          <Input.TextArea rows={3} maxLength={TEXT_LIMITS.evidenceDescription} />
        </Form.Item>
      )}
      <EvidenceFields project={props.project} step="start_construction" />
    </TransitionForm>
  );
}
