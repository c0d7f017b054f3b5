import { Form, Radio, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import {
  EVIDENCE_SLOT_LABELS,
  type EvidenceSlot,
  type EvidenceStep,
} from '../../../../../libs/domain/src/evidence';
import { problemText } from '../../api/client';
import { currentToken } from '../../session';
import type { ProjectDetail } from './types';

/** A file uploaded for this form, and the slot it fills. */
export interface UploadedEvidence {
  fileId: string;
  slot: EvidenceSlot;
  name: string;
}

/** What the file inputs offer; the API sniffs the content and refuses any other type (415). */
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx';

/** Uploads one file (POST /api/files, streamed by the API) and answers its id, or the API's words. */
async function uploadFile(file: File): Promise<{ fileId: string } | { problem: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const token = currentToken();
  try {
    const res = await fetch('/api/files', {
      method: 'POST',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      body: form,
    });
    const body = (await res.json().catch(() => null)) as { fileId?: string } | null;
    if (res.ok && body?.fileId) return { fileId: body.fileId };
    return { problem: body ? problemText(body) : `上传失败(${res.status})` };
  } catch {
    return { problem: '上传失败:网络不可用,请重试' };
  }
}

/**
 * One document's files: which of its slots the file is (when several would do, e.g. 开工照片 or
 * 施工许可证), a file input that uploads at once, and the files uploaded so far.
 */
function EvidenceUpload(props: {
  id: string;
  slots: readonly EvidenceSlot[];
  value?: UploadedEvidence[];
  onChange?: (value: UploadedEvidence[]) => void;
}) {
  const [slot, setSlot] = useState<EvidenceSlot>(props.slots[0]);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const files = props.value ?? [];
  const choose = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setSending(true);
    setProblem(null);
    const added: UploadedEvidence[] = [];
    for (const file of Array.from(list)) {
      const outcome = await uploadFile(file);
      if ('problem' in outcome) {
        setProblem(`${file.name}:${outcome.problem}`);
        break;
      }
      added.push({ fileId: outcome.fileId, slot, name: file.name });
    }
    setSending(false);
    if (added.length > 0) props.onChange?.([...files, ...added]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {props.slots.length > 1 && (
        <Radio.Group
          value={slot}
          onChange={(e) => setSlot(e.target.value as EvidenceSlot)}
          options={props.slots.map((s) => ({ value: s, label: EVIDENCE_SLOT_LABELS[s] }))}
        />
      )}
      <input
        id={props.id}
        type="file"
        multiple
        accept={ACCEPT}
        disabled={sending}
        style={{ maxWidth: '100%' }}
        onChange={(e) => {
          void choose(e.target.files);
          e.target.value = '';
        }}
      />
      {sending && <Typography.Text type="secondary">正在上传…</Typography.Text>}
      {problem && (
        <Typography.Text type="danger" role="alert">
          {problem}
        </Typography.Text>
      )}
      {files.map((f) => (
        <Space key={f.fileId} size="small">
          <Typography.Text>
            {EVIDENCE_SLOT_LABELS[f.slot]}:{f.name}
          </Typography.Text>
          <Typography.Link
            onClick={() => props.onChange?.(files.filter((other) => other.fileId !== f.fileId))}
          >
            移除
          </Typography.Link>
        </Space>
      ))}
    </Space>
  );
}

/** The form's values of these fields: the files uploaded, by document. */
export interface EvidenceValues {
  evidenceFiles?: Record<string, UploadedEvidence[] | undefined>;
}

/** The `files` a command sends for these fields. */
export function evidenceFilesOf(values: EvidenceValues): { fileId: string; slot: EvidenceSlot }[] {
  return Object.values(values.evidenceFiles ?? {})
    .flatMap((list) => list ?? [])
    .map(({ fileId, slot }) => ({ fileId, slot }));
}

/**
 * The slots to fill for a step: one field per document the policy asks for (required, each naming
 * what is missing beside it), and one for any further files, of `extraSlot`.
 */
export function EvidenceFields(props: {
  project: ProjectDetail;
  step?: EvidenceStep;
  extraSlot?: EvidenceSlot;
  extraLabel?: string;
}) {
  const base = useId();
  const documents = props.project.evidenceRequired.find((s) => s.step === props.step)?.documents ?? [];
  const extraSlot = props.extraSlot ?? 'other';
  return (
    <>
      {documents.map((doc, i) => (
        <Form.Item
          key={doc.label}
          label={doc.label}
          htmlFor={`${base}-doc${i}`}
          name={['evidenceFiles', `doc${i}`]}
          rules={[
            {
              validator: (_: unknown, value: UploadedEvidence[] | undefined) =>
                value && value.length > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(`请上传${doc.label}`)),
            },
          ]}
        >
          <EvidenceUpload id={`${base}-doc${i}`} slots={doc.slots as EvidenceSlot[]} />
        </Form.Item>
      ))}
      <Form.Item
        label={props.extraLabel ?? '其他证明材料(选填)'}
        htmlFor={`${base}-extra`}
        name={['evidenceFiles', 'extra']}
      >
        <EvidenceUpload id={`${base}-extra`} slots={[extraSlot]} />
      </Form.Item>
    </>
  );
}

/** `files` for a body: left out when none were uploaded, as the API takes a command without them. */
export function filesOrNone(values: EvidenceValues) {
  const files = evidenceFilesOf(values);
  return files.length > 0 ? files : undefined;
}
