import { Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { required } from './action-form';
import { DateField, TransitionForm, dateOf } from './TransitionForm';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  statisticsCode: string;
  inStatsDate: Dayjs;
}

/** 入统: the project's statistics code and the date it entered the fixed-asset investment statistics. */
export function StatisticsForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="statistics"
      body={(v) => ({
        to: 'in_stats',
        files: filesOrNone(v),
        statisticsCode: v.statisticsCode.trim(),
        inStatsDate: dateOf(v.inStatsDate),
      })}
    >
      <Form.Item label="项目统计代码" name="statisticsCode" rules={[required('项目统计代码')]}>
        <Input maxLength={TEXT_LIMITS.statisticsCode} />
      </Form.Item>
      <DateField name="inStatsDate" label="入统日期" />
      <EvidenceFields project={props.project} step="enter_statistics" />
    </TransitionForm>
  );
}
