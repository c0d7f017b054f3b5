import { Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import type { DuplicateConfirmation } from '../../../../../libs/domain/src/duplicates';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import type { LikelyDuplicate } from '../../api/ledger-routes';
import { DuplicateModal, duplicatesIn } from '../duplicates/DuplicateModal';
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

/**
 * 签约: the contract's date, investment (entered in 万元, sent as exact yuan) and number. A contract
 * that looks like an earlier project's (409 LIKELY_DUPLICATE) is sent again, under the same
 * Idempotency-Key, with the officer's confirmation that it is not the same one counted twice.
 */
export function SignForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const [duplicates, setDuplicates] = useState<LikelyDuplicate[] | null>(null);
  // Read as the form is sent, which may be before React renders again.
  const confirmation = useRef<DuplicateConfirmation | null>(null);
  return (
    <>
      <TransitionForm<Values>
        {...props}
        form={form}
        name="sign"
        revise={(answer) => {
          setDuplicates(duplicatesIn(answer));
          return answer;
        }}
        body={(v) => ({
          to: 'signed',
          contractDate: dateOf(v.contractDate),
          // The rule above lets only an exact 万元 amount through; the API judges what it is.
          contractInvestment: wanToYuan(v.contractInvestment) ?? v.contractInvestment,
          contractNumber: v.contractNumber.trim(),
          signingBatchId: textOf(v.signingBatchId),
          plannedProductionDate: dateOf(v.plannedProductionDate),
          ...(confirmation.current ? { duplicateConfirmation: confirmation.current } : {}),
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
      <DuplicateModal
        duplicates={duplicates}
        sending={false}
        onConfirm={(c) => {
          confirmation.current = c;
          setDuplicates(null);
          form.submit();
        }}
        onCancel={() => setDuplicates(null)}
      />
    </>
  );
}
