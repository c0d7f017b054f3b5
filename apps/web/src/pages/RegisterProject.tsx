import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Space,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  INVESTOR_FLAGS,
  INVESTOR_FLAG_LABELS,
  INVESTOR_TYPES,
  INVESTOR_TYPE_LABELS,
  type InvestorFlag,
  type InvestorType,
} from '../../../../libs/domain/src/attributes';
import { TEXT_LIMITS } from '../../../../libs/domain/src/text-limits';
import type { DuplicateConfirmation } from '../../../../libs/domain/src/duplicates';
import { api } from '../api/client';
import type { LikelyDuplicate } from '../api/ledger-routes';
import { newIdempotencyKey, sendWrite, showFieldErrors } from '../api/write';
import { DuplicateModal, duplicatesIn } from './duplicates/DuplicateModal';
import { useMe } from '../me';
import { provinces, regionName, regionsWithin } from '../regions';
import { chosen, required, wanRule, wanToYuan } from './project-actions/action-form';
import { chinaToday, notFuture, picked, PickedLabel } from './project-actions/TransitionForm';

interface Values {
  name: string;
  investor: { name: string; type: InvestorType; flags: InvestorFlag[]; origin?: string };
  industryChain: string;
  region: string;
  park?: string;
  industrial: boolean;
  /** 万元, as the officer types it. */
  plannedInvestment: string;
  source: string;
  leadDate: Dayjs;
}

/** Where a lead may be registered: the caller's regions and every division below them, by name. */
function regionOptions(regions: readonly string[]) {
  // 市辖区 is a statistical placeholder, not a place a project is in.
  const codes = [...new Set(regions.flatMap(regionsWithin))].filter((c) => !regionName(c).endsWith('市辖区'));
  return codes.map((code) => ({ value: code, label: regionName(code) }));
}

const provinceOptions = provinces();

/** 线索登记: every field of POST /api/projects; on success the new project's page. */
export function RegisterProject() {
  const me = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  // Kept from the form's opening until the registration succeeds: a double click registers once.
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // A likely duplicate the API found, and the values sent, to send again with the confirmation.
  const [duplicates, setDuplicates] = useState<LikelyDuplicate[] | null>(null);
  const [sentValues, setSentValues] = useState<Values | null>(null);
  const regions = useMemo(() => regionOptions(me?.regions ?? []), [me]);

  if (me && !me.commands.includes('RegisterLead')) {
    return <Result status="403" title="无权登记线索" subTitle="只有服务专员和首席服务官可以登记线索" />;
  }

  async function register(v: Values, duplicateConfirmation?: DuplicateConfirmation) {
    if (sending) return;
    setSending(true);
    setProblem(null);
    let flagged: LikelyDuplicate[] | null = null;
    const outcome = await sendWrite(
      (headers) =>
        api
          .POST('/api/projects', {
            params: { header: headers as { 'Idempotency-Key': string } },
            body: {
              name: v.name.trim(),
              investor: {
                name: v.investor.name.trim(),
                type: v.investor.type,
                flags: v.investor.flags ?? [],
                ...(v.investor.origin ? { origin: v.investor.origin } : {}),
              },
              industryChain: v.industryChain.trim(),
              region: v.region,
              park: v.park?.trim() ? v.park.trim() : undefined,
              industrial: v.industrial,
              // The rule lets only an exact 万元 amount through; the API judges what it is.
              plannedInvestment: wanToYuan(v.plannedInvestment) ?? v.plannedInvestment,
              source: v.source.trim(),
              leadDate: v.leadDate.format('YYYY-MM-DD'),
              ...(duplicateConfirmation ? { duplicateConfirmation } : {}),
            },
          })
          .then((answer) => {
            flagged = duplicatesIn(answer);
            return answer;
          }),
      { idempotencyKey: key },
    );
    setSending(false);
    if (flagged) {
      // The same key is sent again with the confirmation: a refusal releases it.
      setSentValues(v);
      setDuplicates(flagged);
      return;
    }
    setDuplicates(null);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      void navigate(`/projects/${outcome.data.projectId}`);
      return;
    }
    const aliases = Object.fromEntries(
      outcome.fieldErrors.filter((e) => e.field.startsWith('data.')).map((e) => [e.field, e.field.slice(5)]),
    );
    const rest = showFieldErrors(form, outcome.fieldErrors, aliases);
    if (rest.length > 0 || outcome.fieldErrors.length === 0) setProblem(outcome.message);
  }

  const half = { xs: 24, md: 12 };
  return (
    <PageContainer title="线索登记">
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          name="register"
          initialValues={{
            industrial: true,
            leadDate: chinaToday(),
            investor: { flags: [] },
            region: regions.length === 1 ? regions[0].value : undefined,
          }}
          onFinish={(v) => void register(v)}
        >
          <Row gutter={16}>
            <Col span={24}>
              <Form.Item label="项目名称" name="name" rules={[required('项目名称')]}>
                <Input maxLength={TEXT_LIMITS.projectName} placeholder="如 年产5万吨锂电池正极材料项目" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item label="投资方" name={['investor', 'name']} rules={[required('投资方')]}>
                <Input maxLength={TEXT_LIMITS.investorName} placeholder="如 湖北某某新材料有限公司" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label={<PickedLabel>投资方类型</PickedLabel>}
                name={['investor', 'type']}
                rules={[picked('投资方类型')]}
              >
                <Select options={INVESTOR_TYPES.map((t) => ({ value: t, label: INVESTOR_TYPE_LABELS[t] }))} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item label="投资方标签" name={['investor', 'flags']}>
                <Checkbox.Group
                  options={INVESTOR_FLAGS.map((f) => ({ value: f, label: INVESTOR_FLAG_LABELS[f] }))}
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label="投资方来源地"
                name={['investor', 'origin']}
                extra="投资方总部所在省份,用于统计实际利用省外资金(可不填)"
              >
                <Select allowClear showSearch optionFilterProp="label" options={provinceOptions} />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label={<PickedLabel>所在区域</PickedLabel>}
                name="region"
                rules={[picked('所在区域')]}
              >
                <Select
                  showSearch
                  optionFilterProp="label"
                  options={regions}
                  placeholder="输入区县名称搜索"
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item label="园区" name="park">
                <Input maxLength={TEXT_LIMITS.park} placeholder="如 宜昌高新区(可不填)" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item label="产业链" name="industryChain" rules={[required('产业链')]}>
                <Input maxLength={TEXT_LIMITS.industryChain} placeholder="如 新材料" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label={<PickedLabel>工业项目</PickedLabel>}
                name="industrial"
                rules={[picked('是否工业项目')]}
              >
                <Radio.Group
                  options={[
                    { value: true, label: '是' },
                    { value: false, label: '否' },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                label="计划总投资(万元)"
                name="plannedInvestment"
                rules={[required('计划总投资'), wanRule()]}
              >
                <Input inputMode="decimal" suffix="万元" placeholder="如 15000" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item label="线索来源" name="source" rules={[required('线索来源')]}>
                <Input maxLength={TEXT_LIMITS.source} placeholder="如 以商招商" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item label="线索日期" name="leadDate" rules={[chosen('线索日期')]}>
                <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} disabledDate={notFuture} />
              </Form.Item>
            </Col>
          </Row>
          {problem && (
            <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={problem} />
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={sending}>
              登记
            </Button>
            <Button onClick={() => void navigate('/projects')}>取消</Button>
          </Space>
        </Form>
        <DuplicateModal
          duplicates={duplicates}
          sending={sending}
          onConfirm={(confirmation) => sentValues && void register(sentValues, confirmation)}
          onCancel={() => setDuplicates(null)}
        />
      </Card>
    </PageContainer>
  );
}
