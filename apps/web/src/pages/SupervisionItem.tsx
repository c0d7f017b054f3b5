import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Spin, Steps, Table, message } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { shanghaiDate } from '../../../../libs/domain/src/dates';
import { SUPERVISION_STATUS_LABELS, SUPERVISION_STATUSES } from '../../../../libs/domain/src/supervision';
import { api, problemText, type Schemas } from '../api/client';
import { newIdempotencyKey, sendWrite, showFieldErrors } from '../api/write';
import { regionName } from '../regions';
import { ownerText } from './Supervision';

type Item = Schemas['SupervisionItemView'];
type NextStep = Schemas['SupervisionNextStepView'];
type StepTaken = Schemas['SupervisionStepTakenView'];

/** An instant as officers write it, in China's time zone (UTC+8, no daylight saving): 2025-05-20 09:30. */
function shanghaiMinute(instant: string): string {
  const clock = new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(11, 16);
  return `${shanghaiDate(instant)} ${clock}`;
}

/** One step the caller may take now, with its note; the API's refusals shown beside the note or above. */
function StepForm({ item, step, onDone }: { item: Item; step: NextStep; onDone: (item: Item) => void }) {
  const [form] = Form.useForm<{ note?: string }>();
  // Kept from the moment the form shows until the step succeeds: a double click is one step.
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async ({ note }: { note?: string }) => {
    setSending(true);
    setRefusal(null);
    const outcome = await sendWrite(
      (headers) =>
        api.POST('/api/supervision-items/{id}/steps', {
          // The route documents Idempotency-Key as a header parameter; sendWrite sets it.
          params: { path: { id: item.itemId }, header: headers as { 'Idempotency-Key': string } },
          body: { to: step.to, ...(note?.trim() ? { note } : {}) },
        }),
      { idempotencyKey: key },
    );
    setSending(false);
    if (!outcome.ok) {
      const rest = showFieldErrors(form, outcome.fieldErrors);
      if (rest.length || outcome.fieldErrors.length === 0) {
        setRefusal(rest.length ? rest.map((e) => e.message).join(';') : outcome.message);
      }
      return;
    }
    setKey(newIdempotencyKey());
    form.resetFields();
    void message.success(`已${step.label}`);
    onDone(outcome.data);
  };

  return (
    <Card
      size="small"
      title={`下一步:${step.label}`}
      data-testid={`step-${step.to}`}
      style={{ marginBottom: 16 }}
    >
      {refusal && <Alert type="error" showIcon message={refusal} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="note" label={`${step.label}说明`}>
          <Input.TextArea rows={2} maxLength={2000} showCount />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={sending}>
          {step.label}
        </Button>
      </Form>
    </Card>
  );
}

/** A 督办 item: where it stands, every step it took (who, when, note), and the steps the caller may take now. */
export function SupervisionItem() {
  const { id = '' } = useParams();
  const [item, setItem] = useState<Item | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api
      .GET('/api/supervision-items/{id}', { params: { path: { id } } })
      .then(({ data, error: problem }) => {
        if (!live) return;
        if (data) setItem(data);
        else setError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [id]);

  if (error) return <Result status="warning" title="无法读取督办事项" subTitle={error} />;
  if (!item) return <Spin size="large" />;

  // The steps up to the item's status are done; the one after it is under way, until 办结.
  const reached = SUPERVISION_STATUSES.indexOf(item.status.code);
  const closed = item.status.code === 'closed';
  const current = closed ? reached : reached + 1;
  const takenAt = new Map(item.steps.map((s) => [s.to, s.at]));
  return (
    <PageContainer title={`督办:${item.ruleLabel}`}>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label="项目">
            <Link to={`/projects/${item.projectId}`}>{item.projectName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="督办事项">{item.ruleLabel}</Descriptions.Item>
          <Descriptions.Item label="区域">{regionName(item.region)}</Descriptions.Item>
          <Descriptions.Item label="责任人">{ownerText(item)}</Descriptions.Item>
          <Descriptions.Item label="办结期限">{item.dueDate}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <span data-testid="item-status">{item.status.label}</span>
          </Descriptions.Item>
          <Descriptions.Item label="回头看批次">{item.openedIn}</Descriptions.Item>
          <Descriptions.Item label="督办级别">第 {item.rung} 级</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="办理进度" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          responsive
          current={current}
          status={closed ? 'finish' : 'process'}
          items={SUPERVISION_STATUSES.map((s) => {
            const at = takenAt.get(s);
            return { title: SUPERVISION_STATUS_LABELS[s], description: at ? shanghaiDate(at) : undefined };
          })}
        />
      </Card>
      {item.availableSteps.map((step) => (
        <StepForm key={`${step.to}`} item={item} step={step} onDone={setItem} />
      ))}
      <Card title="办理记录">
        <Table<StepTaken>
          rowKey={(s) => `${s.to}-${s.at}`}
          dataSource={item.steps}
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '步骤', dataIndex: 'toLabel' },
            {
              title: '办理人',
              dataIndex: 'actorName',
              render: (_, s) => `${s.actorName ?? s.actorId}(${s.actorRoleLabel})`,
            },
            { title: '时间', dataIndex: 'at', render: (_, s) => shanghaiMinute(s.at) },
            { title: '说明', dataIndex: 'note', render: (_, s) => s.note ?? '—' },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
