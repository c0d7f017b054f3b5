import { Form, Input, List, Modal, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import {
  DUPLICATE_MATCH_LABELS,
  type DuplicateConfirmation,
} from '../../../../../libs/domain/src/duplicates';
import { TEXT_LIMITS } from '../../../../../libs/domain/src/text-limits';
import { likelyDuplicates, type LikelyDuplicate } from '../../api/ledger-routes';
import { regionName } from '../../regions';
import { required } from '../project-actions/action-form';

/** The earlier projects an answer names as likely duplicates (409 LIKELY_DUPLICATE), else null. */
export function duplicatesIn(answer: { error?: unknown; response: Response }): LikelyDuplicate[] | null {
  return answer.response.ok ? null : likelyDuplicates(answer.response.status, answer.error);
}

/**
 * 疑似重复: the earlier project(s) the API found, each linked with why it looks the same, and the
 * reason the officer gives that this is not the same project counted again. 确认不是重复 answers the
 * confirmation the write is sent again with; 取消 closes it, the form keeping what was typed.
 */
export function DuplicateModal(props: {
  duplicates: LikelyDuplicate[] | null;
  sending: boolean;
  onConfirm: (confirmation: DuplicateConfirmation) => void;
  onCancel: () => void;
}) {
  const [form] = Form.useForm<{ of: string; reason: string }>();
  const open = props.duplicates !== null;
  const list = props.duplicates ?? [];

  useEffect(() => {
    if (open) form.setFieldsValue({ of: list[0]?.projectId });
    // Only when the modal opens on a new answer: a typed reason stays while it is open.
  }, [open, props.duplicates]);

  const confirm = (v: { of: string; reason: string }) => {
    const earlier = list.find((d) => d.projectId === v.of) ?? list[0];
    if (!earlier) return;
    props.onConfirm({ of: earlier.projectId, match: earlier.match, reason: v.reason.trim() });
  };

  return (
    <Modal
      open={open}
      title="疑似重复项目"
      okText="确认不是重复"
      cancelText="取消"
      confirmLoading={props.sending}
      onOk={() => form.submit()}
      onCancel={props.onCancel}
      destroyOnHidden={false}
      forceRender
    >
      <Typography.Paragraph>
        已有以下项目与本项目相似,可能是同一项目重复登记或重复签约。请核实;确认不是重复的,请说明理由,理由将记入项目档案。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" name="duplicate-confirmation" onFinish={confirm}>
        <Form.Item name="of" label="相似的已有项目">
          <Radio.Group style={{ width: '100%' }}>
            <List
              size="small"
              bordered
              dataSource={list}
              renderItem={(d) => (
                <List.Item data-testid="likely-duplicate">
                  <Radio value={d.projectId} aria-label={`对照 ${d.name}`}>
                    <Link to={`/projects/${d.projectId}`} target="_blank" rel="noreferrer">
                      {d.name}
                    </Link>
                    <div>
                      {regionName(d.region)} · {d.date} · {d.matchLabel || DUPLICATE_MATCH_LABELS[d.match]}
                    </div>
                  </Radio>
                </List.Item>
              )}
            />
          </Radio.Group>
        </Form.Item>
        <Form.Item label="不是重复的理由" name="reason" rules={[required('理由')]}>
          <Input.TextArea
            rows={3}
            maxLength={TEXT_LIMITS.reason}
            placeholder="如 同一投资方在本区的第二期项目,合同另签"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
