import { Button, Card, Divider, Form, Input, Select, Typography, App as AntApp } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ROLE_LABELS } from '../../../../libs/domain/src/actor';
import { api, problemText, type Schemas } from '../api/client';
import { regionName } from '../regions';
import { keepToken } from '../session';

const ROLES = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'] as const;
type SignInValues = { sub: string; role: (typeof ROLES)[number]; regions: string[] };

type DevPerson = Schemas['DevPersonView'];

/** A person as the picker lists them: 张三 · 服务专员 · 宜昌市 / 夷陵区 (officer-7). */
function personLabel(p: DevPerson): string {
  const regions = p.regions.map(regionName).join('、');
  return `${p.name} · ${p.roleLabel}${regions ? ` · ${regions}` : ''}(${p.personId})`;
}

/**
 * The people directory as the development route lists it before the user has a token
 * (GET /api/dev/people); null when it is not offered (production: 404).
 */
function useDevPeople(q: string): DevPerson[] | null {
  const [people, setPeople] = useState<DevPerson[] | null>([]);
  useEffect(() => {
    let live = true;
    void api
      .GET('/api/dev/people', { params: { query: q.trim() ? { q: q.trim() } : {} } })
      .then(({ data }) => {
        if (live) setPeople(data ? data.items : null);
      });
    return () => {
      live = false;
    };
  }, [q]);
  return people;
}

/**
 * Development sign-in: the user picks a person from the directory (their id, role and regions fill
 * the form), or names a person id, a role and region codes; the API's development route signs a
 * token (POST /api/dev/tokens, refused in production).
 */
export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SignInValues>();
  const [search, setSearch] = useState('');
  const people = useDevPeople(search);

  const submit = async (values: SignInValues) => {
    const { data, error } = await api.POST('/api/dev/tokens', { body: values });
    if (!data) {
      const fields = (error as { errors?: { field: string; message: string }[] } | undefined)?.errors ?? [];
      form.setFields(
        fields.map((f) => ({ name: f.field.split('.')[0] as keyof SignInValues, errors: [f.message] })),
      );
      void message.error(problemText(error));
      return;
    }
    keepToken(data.token);
    const from = params.get('from');
    void navigate(from && from.startsWith('/') && !from.startsWith('//') ? from : '/projects', {
      replace: true,
    });
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        // A grid item is as wide as its longest content by default: a long name in the picker
        // would push the card past a phone's width.
        gridTemplateColumns: 'minmax(0, 1fr)',
        padding: 16,
        background: '#f5f5f5',
      }}
    >
      <Card title="招商项目全周期 · 登录(开发环境)" style={{ width: 'min(420px, 100%)' }}>
        <Typography.Paragraph type="secondary">
          生产环境通过统一身份认证登录;此处仅供开发与测试。
        </Typography.Paragraph>
        {people !== null && (
          <>
            <Form layout="vertical" component="div">
              <Form.Item label="从人员名录选择" htmlFor="sign-in-person">
                <Select<string>
                  id="sign-in-person"
                  showSearch
                  allowClear
                  filterOption={false}
                  placeholder="输入姓名或编号搜索"
                  style={{ width: '100%' }}
                  notFoundContent="名录中没有匹配的人员"
                  onSearch={setSearch}
                  options={people.map((p) => ({ value: p.personId, label: personLabel(p) }))}
                  onChange={(personId) => {
                    const person = people.find((p) => p.personId === personId);
                    if (person)
                      form.setFieldsValue({
                        sub: person.personId,
                        role: person.role,
                        regions: person.regions,
                      });
                  }}
                />
              </Form.Item>
            </Form>
            <Divider plain>或填写</Divider>
          </>
        )}
        <Form<SignInValues>
          form={form}
          layout="vertical"
          initialValues={{ role: 'officer', regions: ['420500'], sub: 'officer-1' }}
          onFinish={(values) => void submit(values)}
        >
          <Form.Item label="人员编号" name="sub" rules={[{ required: true, message: '请输入人员编号' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          {/* No required rule: the role always has a value (and antd's aria-required on the
              select's wrapper is an attribute its role does not allow). */}
          <Form.Item label="角色" name="role">
            <Select options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item
            label="行政区划代码"
            name="regions"
            tooltip="6 位代码,如 420500 宜昌市"
            rules={[
              {
                validator: (_, value: string[] | undefined) =>
                  (value ?? []).every((c) => /^\d{6}$/.test(c))
                    ? Promise.resolve()
                    : Promise.reject(new Error('每个代码须为 6 位数字')),
              },
            ]}
          >
            <Select mode="tags" tokenSeparators={[',', ' ']} open={false} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
