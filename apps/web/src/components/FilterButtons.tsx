import { Button, Form, Space, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import type { SetURLSearchParams } from 'react-router-dom';

/**
 * 查询 and 重置 under a list's filter form. The filters live in the URL, so 重置 empties the form
 * and the URL together; `children` go before the buttons (e.g. a phone's 更多筛选).
 */
export function FilterButtons(props: {
  form: FormInstance;
  setParams: SetURLSearchParams;
  children?: ReactNode;
}) {
  return (
    <Form.Item>
      <Space wrap>
        {props.children}
        <Button type="primary" htmlType="submit">
          查询
        </Button>
        <Button
          onClick={() => {
            props.form.resetFields();
            props.setParams(new URLSearchParams());
          }}
        >
          重置
        </Button>
      </Space>
    </Form.Item>
  );
}
