import { Card, Table, Tag } from 'antd';
import { EmptyText } from './EmptyText';
import type { BlockerEntry } from './types';

/** A solid tag: antd's light orange tag is below WCAG AA contrast. */
const OPEN_COLOUR = '#ad4e00';

const ROLE_LABELS: Record<string, string> = { lead: '牵头', co_handling: '协办' };

/** 堵点: category, what it is, the department answerable, when it is due and how it was resolved. */
export function BlockersCard({ blockers }: { blockers: BlockerEntry[] }) {
  return (
    <Card title="堵点" style={{ marginBottom: 16 }} data-testid="project-blockers">
      <Table<BlockerEntry>
        rowKey="blockerId"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={blockers}
        locale={{ emptyText: <EmptyText>暂无堵点</EmptyText> }}
        columns={[
          { title: '类别', dataIndex: 'categoryLabel' },
          { title: '堵点', dataIndex: 'description' },
          {
            title: '责任部门',
            render: (_, b) =>
              `${b.responsibleDepartment}(${ROLE_LABELS[b.departmentRole] ?? b.departmentRole})`,
          },
          { title: '提出日期', dataIndex: 'raisedDate' },
          { title: '办结期限', dataIndex: 'dueDate' },
          {
            title: '办理结果',
            render: (_, b) =>
              b.resolution ? (
                `${b.resolvedDate ?? ''} ${b.resolution}`.trim()
              ) : (
                <Tag color={OPEN_COLOUR}>未解决</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
