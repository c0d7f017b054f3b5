import { Card, Table, Tag } from 'antd';
import { LightDot } from '../ProjectList';
import { EmptyText } from './EmptyText';
import type { Deadline } from './types';

/** Who a deadline is addressed to: the position, and the person by name (the id when unnamed). */
export function addresseeText(addressee: Deadline['addressee']): string {
  const person = addressee.name ?? addressee.id;
  return person ? `${addressee.label} ${person}` : addressee.label;
}

/** Every open deadline: what falls due when, its light, the rung reached and who is addressed. */
export function DeadlinesCard({ deadlines }: { deadlines: Deadline[] }) {
  return (
    <Card title="未办结时限" style={{ marginBottom: 16 }} data-testid="project-deadlines">
      <Table<Deadline>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={deadlines}
        locale={{ emptyText: <EmptyText>暂无未办结时限</EmptyText> }}
        columns={[
          {
            title: '时限',
            render: (_, d) => (
              <>
                {d.ruleLabel}
                {d.extended && <Tag style={{ marginLeft: 8 }}>已延期</Tag>}
              </>
            ),
          },
          { title: '到期日', dataIndex: 'dueDate' },
          { title: '亮灯', render: (_, d) => <LightDot light={d.light} /> },
          { title: '督办层级', dataIndex: 'rung', render: (r: number) => (r ? `第 ${r} 级` : '未逾期') },
          { title: '提醒对象', render: (_, d) => addresseeText(d.addressee) },
          { title: '逾期天数', dataIndex: 'daysOverdue' },
        ]}
      />
    </Card>
  );
}
