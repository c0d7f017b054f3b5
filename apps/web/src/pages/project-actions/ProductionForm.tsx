import { Form, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { PRODUCTION_SCOPE_LABELS, type ProductionScope } from '../../../../../libs/domain/src/attributes';
import { DateField, TransitionForm, dateOf, picked, PickedLabel } from './TransitionForm';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  productionDate: Dayjs;
  scope: ProductionScope;
}

/** 投产: the production date, in part or in full (partial production may later become full). */
export function ProductionForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const partly = props.project.evidence.productionScope === 'partial';
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="production"
      body={(v) => ({
        to: 'producing',
        files: filesOrNone(v),
        productionDate: dateOf(v.productionDate),
        scope: v.scope,
      })}
    >
      <DateField name="productionDate" label="投产日期" />
      <Form.Item
        label={<PickedLabel>投产范围</PickedLabel>}
        name="scope"
        initialValue={partly ? 'full' : undefined}
        rules={[picked('投产范围')]}
      >
        <Radio.Group
          options={(['partial', 'full'] as const).map((s) => ({
            value: s,
            label: PRODUCTION_SCOPE_LABELS[s],
            disabled: partly && s === 'partial',
          }))}
        />
      </Form.Item>
      <EvidenceFields project={props.project} step="start_production" />
    </TransitionForm>
  );
}
