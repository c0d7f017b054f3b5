import { Button, Card, Form, Input, Select, Typography, App as AntApp } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ROLE_LABELS } from '../../../../libs/domain/src/actor';
import { api, problemText } from '../api/client';
import { keepToken } from '../session';

const ROLES = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'] as const;
type SignInValues = { sub: string; role: (typeof ROLES)[number]; regions: string[] };

/**
 * Development sign-in: the user names a person id, a role and the region codes they act in, and
 * the API's development route signs a token (POST /api/dev/tokens, refused in production).
 */
export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SignInValues>();

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
        padding: 16,
        background: '#f5f5f5',
      }}
    >
      <Card title="招商项目全周期 · 登录(开发环境)" style={{ width: 'min(420px, 100%)' }}>
        <Typography.Paragraph type="secondary">
          生产环境通过统一身份认证登录;此处仅供开发与测试。
        </Typography.Paragraph>
        <Form<SignInValues>
          form={form}
          layout="vertical"
          initialValues={{ role: 'officer', regions: ['420500'], sub: 'officer-1' }}
          onFinish={(values) => void submit(values)}
        >
          <Form.Item label="人员编号" name="sub" rules={[{ required: true, message: '请输入人员编号' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="角色" name="role" rules={[{ required: true }]}>
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
