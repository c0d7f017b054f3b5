import { Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { DateField, TransitionForm, dateOf, textOf } from './TransitionForm';
import type { ActionFormProps } from './types';

interface Values {
  talksDate: Dayjs;
  leadingOfficial?: string;
}

/** 在谈: the first talks with the investor, and the 领衔领导 if one leads them. */
export function TalksForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="talks"
      body={(v) => ({
        to: 'negotiating',
        talksDate: dateOf(v.talksDate),
        leadingOfficial: textOf(v.leadingOfficial),
      })}
    >
      <DateField name="talksDate" label="首次洽谈日期" />
      <Form.Item label="领衔领导" name="leadingOfficial">
        <Input maxLength={TEXT_LIMITS.leadingOfficial} placeholder="如 张副市长(可不填)" />
      </Form.Item>
    </TransitionForm>
  );
}
