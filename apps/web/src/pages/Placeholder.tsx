import { PageContainer } from '@ant-design/pro-components';
import { Empty } from 'antd';

/** A page the console will have; for now it says so. */
export function Placeholder({ title }: { title: string }) {
  return (
    <PageContainer title={title}>
      <Empty description="建设中" />
    </PageContainer>
  );
}
