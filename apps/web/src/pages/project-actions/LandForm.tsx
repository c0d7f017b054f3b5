import { Form, Input, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { checkCreditCode } from '../../../../../libs/domain/src/field-checks';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import type { FieldError } from '../../api/write';
import { required } from './action-form';
import { DateField, TransitionForm, dateOf, picked, PickedLabel, textOf } from './TransitionForm';
import { EvidenceFields, filesOrNone, type EvidenceValues } from './EvidenceFields';
import type { ActionFormProps } from './types';

interface Values extends EvidenceValues {
  creditCode: string;
  companyName?: string;
  landedDate: Dayjs;
  site: {
    kind: 'land_parcel' | 'lease';
    parcelNumber?: string;
    leaseContractNumber?: string;
    address?: string;
    areaSquareMetres?: string;
  };
}

const AREA = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/** 落地: the registered company (统一社会信用代码) and its site, a land parcel or a lease. */
export function LandForm(props: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch(['site', 'kind'], form) ?? 'land_parcel';
  return (
    <TransitionForm<Values>
      {...props}
      form={form}
      name="land"
      body={(v) => ({
        to: 'landed',
        files: filesOrNone(v),
        creditCode: v.creditCode.trim().toUpperCase(),
        companyName: textOf(v.companyName),
        landedDate: dateOf(v.landedDate),
        site:
          v.site.kind === 'land_parcel'
            ? {
                kind: 'land_parcel',
                parcelNumber: v.site.parcelNumber?.trim(),
                areaSquareMetres: textOf(v.site.areaSquareMetres),
              }
            : {
                kind: 'lease',
                leaseContractNumber: v.site.leaseContractNumber?.trim(),
                address: textOf(v.site.address),
                areaSquareMetres: textOf(v.site.areaSquareMetres),
              },
      })}
      revise={(answer, v) => {
        // The API refuses the code; the field says what is wrong in the domain's own words.
        const problem = checkCreditCode(v.creditCode.trim().toUpperCase(), 'creditCode');
        const errors = (answer.error as { errors?: FieldError[] } | undefined)?.errors;
        if (problem && Array.isArray(errors)) {
          for (const e of errors) if (e.field === 'creditCode') e.message = problem.message.zh;
        }
        return answer;
      }}
    >
      <Form.Item label="统一社会信用代码" name="creditCode" rules={[required('统一社会信用代码')]}>
        <Input
          maxLength={18}
          style={{ textTransform: 'uppercase' }}
          placeholder="18 位,如 91420500MA4F0XXXXX"
        />
      </Form.Item>
      <Form.Item label="注册企业名称" name="companyName">
        <Input maxLength={TEXT_LIMITS.companyName} />
      </Form.Item>
      <DateField name="landedDate" label="落地日期" />
      <Form.Item
        label={<PickedLabel>用地方式</PickedLabel>}
        name={['site', 'kind']}
        initialValue="land_parcel"
        rules={[picked('用地方式')]}
      >
        <Radio.Group
          options={[
            { value: 'land_parcel', label: '土地摘牌' },
            { value: 'lease', label: '租赁厂房' },
          ]}
        />
      </Form.Item>
      {kind === 'land_parcel' ? (
        <Form.Item label="地块编号" name={['site', 'parcelNumber']} rules={[required('地块编号')]}>
          <Input maxLength={TEXT_LIMITS.parcelNumber} />
        </Form.Item>
      ) : (
        <>
          <Form.Item
            label="租赁合同编号"
            name={['site', 'leaseContractNumber']}
            rules={[required('租赁合同编号')]}
          >
            <Input maxLength={TEXT_LIMITS.leaseContractNumber} />
          </Form.Item>
          <Form.Item label="厂房地址" name={['site', 'address']}>
            <Input maxLength={TEXT_LIMITS.address} />
          </Form.Item>
        </>
      )}
      <Form.Item
        label="面积(平方米)"
        name={['site', 'areaSquareMetres']}
        rules={[{ pattern: AREA, message: '请输入平方米数,如 20000 或 20000.5' }]}
      >
        <Input inputMode="decimal" suffix="㎡" />
      </Form.Item>
      <EvidenceFields project={props.project} step="land" />
    </TransitionForm>
  );
}
