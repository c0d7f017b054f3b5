import { Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { required, wanRule, wanToYuan } from './action-form';
import { DateField, TransitionForm, dateOf, textOf } from './TransitionForm';
import type { ActionFormProps } from './types';

interface Values {
  contractDate: Dayjs;
  contractInvestment: string;
  contractNumber: string;
  signingBatchId?: string;
  plannedProductionDate?: Dayjs | null;
}

/** 签约: the contract's date, investment (entered in 万元, sent as exact yuan) and number. */
export function SignForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="sign"
      body={(v) => ({
        to: 'signed',
        contractDate: dateOf(v.contractDate),
        // The rule above lets only an exact 万元 amount through; the API judges what it is.
        contractInvestment: wanToYuan(v.contractInvestment) ?? v.contractInvestment,
        contractNumber: v.contractNumber.trim(),
        signingBatchId: textOf(v.signingBatchId),
        plannedProductionDate: dateOf(v.plannedProductionDate),
      })}
    >
      <DateField name="contractDate" label="签约日期" />
      <Form.Item
        label="合同投资额(万元)"
        name="contractInvestment"
        rules={[required('合同投资额'), wanRule()]}
      >
        <Input inputMode="decimal" suffix="万元" placeholder="如 15000" />
      </Form.Item>
      <Form.Item label="合同编号" name="contractNumber" rules={[required('合同编号')]}>
        <Input maxLength={TEXT_LIMITS.contractNumber} />
      </Form.Item>
      <Form.Item label="集中签约批次" name="signingBatchId">
        <Input maxLength={TEXT_LIMITS.signingBatchId} placeholder="在集中签约活动上签约时填写" />
      </Form.Item>
      <DateField name="plannedProductionDate" label="合同约定投产日期" optional future />
    </TransitionForm>
  );
}
