import { PrinterOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Drawer, Select, Space, Spin, Tag, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, problemText, type Schemas } from '../../api/client';
import { useMe } from '../../me';
import { regionName } from '../../regions';
import { ExtensionForm } from '../project-actions/ExtensionForm';
import type { ActionFormProps, ProjectDetail } from '../project-actions/types';
import { VisitForm } from '../project-actions/VisitForm';
import { TAG_STYLES } from '../reviews/review-model';

type Agenda = Schemas['MeetingAgendaView'];
type AgendaItem = Schemas['AgendaItemView'];
type Reason = Schemas['AgendaReasonView'];

const LIGHT_COLORS: Record<string, string> = { red: 'red', yellow: 'gold', green: 'green' };
const REASON_COLORS: Record<string, string> = {
  red_light: 'red',
  escalated: 'volcano',
  unrectified: 'magenta',
  blocker_overdue: 'orange',
};

/** The decisions a meeting records on a project, each through the command route its form sends. */
const DECISIONS = [
  { key: 'visit', label: '记录走访', command: 'LogServiceVisit', Form: VisitForm },
  { key: 'extension', label: '延期', command: 'ExtendDeadline', Form: ExtensionForm },
] as const;
type Decision = (typeof DECISIONS)[number];

/**
 * Paper: the list alone, full width, without the menu, the header, the filters or the buttons; each
 * row kept whole, the table's head repeated on every page.
 */
const PRINT_CSS = `
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body * { visibility: hidden; }
  .ant-layout-sider, .ant-pro-sider, .ant-layout-header, .ant-pro-layout-header, .ant-pro-global-header,
  .ant-pro-page-container-warp-page-header, .ant-page-header { display: none !important; }
  #meeting-agenda, #meeting-agenda * { visibility: visible; }
  /* The layout around the list keeps no offset on paper (the hidden menu's width, the page's padding). */
  :has(#meeting-agenda) { position: static !important; margin: 0 !important; padding: 0 !important; transform: none !important; }
  #meeting-agenda { position: absolute; left: 0; top: 0; width: 100%; }
  #meeting-agenda .no-print, #meeting-agenda .ant-pro-table-list-toolbar { display: none !important; }
  #meeting-agenda .ant-table-content, #meeting-agenda .ant-table-container { overflow: visible !important; }
  #meeting-agenda table { width: 100% !important; min-width: 0 !important; font-size: 11px; }
  #meeting-agenda thead { display: table-header-group; }
  #meeting-agenda tr { break-inside: avoid; }
  #meeting-agenda a { color: inherit; text-decoration: none; }
}
#meeting-agenda .print-only { display: none; }
@media print {
  #meeting-agenda .print-only { display: block; }
  #meeting-agenda th.print-only, #meeting-agenda td.print-only { display: table-cell; }
}
`;

function ReasonLine({ reason }: { reason: Reason }) {
  return (
    <div data-testid={`reason-${reason.kind}`} style={{ marginBottom: 2 }}>
      <Tag style={TAG_STYLES[REASON_COLORS[reason.kind]]}>{reason.kindLabel}</Tag>
      {reason.itemId ? <Link to={`/supervision/${reason.itemId}`}>{reason.detail}</Link> : reason.detail}
      {reason.dueDate && <span style={{ color: 'rgba(0,0,0,0.65)' }}>(到期 {reason.dueDate})</span>}
    </div>
  );
}

/** The decision's drawer: the project read with its ETag, then the decision's own form. */
function DecisionDrawer(props: {
  open: { item: AgendaItem; decision: Decision } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const projectId = props.open?.item.projectId;

  useEffect(() => {
    if (!projectId) return;
    let live = true;
    setError(null);
    void api
      .GET('/api/projects/{id}', { params: { path: { id: projectId } } })
      .then(({ data, error: problem, response }) => {
        if (!live) return;
        if (data) {
          setProject(data);
          setEtag(response.headers.get('ETag'));
        } else setError(problemText(problem));
      });
    return () => {
      live = false;
    };
  }, [projectId, reads]);

  const close = () => {
    setProject(null);
    props.onClose();
  };
  const open = props.open;
  const formProps: ActionFormProps | null =
    project && project.projectId === projectId
      ? {
          project,
          etag,
          onDone: () => {
            setProject(null);
            props.onDone();
          },
          onReload: () => setReads((n) => n + 1),
          onCancel: close,
        }
      : null;
  return (
    <Drawer
      title={open ? `${open.decision.label}:${open.item.name}` : undefined}
      open={open !== null}
      onClose={close}
      width="min(560px, 100vw)"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} />}
      {open && !error && (formProps ? <open.decision.Form {...formProps} /> : <Spin />)}
    </Drawer>
  );
}

/** 调度会: the projects a meeting should discuss, and the decision recorded on each. */
export function Meeting() {
  const me = useMe();
  const [region, setRegion] = useState<string | undefined>();
  const [agenda, setAgenda] = useState<Agenda | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const [open, setOpen] = useState<{ item: AgendaItem; decision: Decision } | null>(null);
  const [messages, holder] = message.useMessage();
  const reload = useCallback(() => setReads((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void api
      .GET('/api/meeting-agenda', { params: { query: { region } } })
      .then(({ data, error: problem }) => {
        if (!live) return;
        setLoading(false);
        setError(data ? null : problemText(problem));
        setAgenda(data ?? null);
      });
    return () => {
      live = false;
    };
  }, [region, reads]);

  const offered = DECISIONS.filter((d) =>
    (me?.commands as readonly string[] | undefined)?.includes(d.command),
  );
  const columns: ProColumns<AgendaItem>[] = [
    { title: '序号', dataIndex: 'index', valueType: 'index', width: 56 },
    {
      title: '项目',
      dataIndex: 'name',
      render: (_, i) => <Link to={`/projects/${i.projectId}`}>{i.name}</Link>,
    },
    { title: '地区', dataIndex: 'region', render: (_, i) => regionName(i.region) },
    { title: '阶段', dataIndex: 'stageLabel' },
    {
      title: '亮灯',
      dataIndex: 'light',
      render: (_, i) => <Tag style={TAG_STYLES[LIGHT_COLORS[i.light]]}>{i.lightLabel}</Tag>,
    },
    {
      title: '上会原因',
      dataIndex: 'reasons',
      render: (_, i) => i.reasons.map((r, n) => <ReasonLine key={n} reason={r} />),
    },
    { title: '最近走访', dataIndex: 'lastVisitDate', render: (_, i) => i.lastVisitDate ?? '—' },
    { title: '会议决定', dataIndex: 'decision', className: 'print-only', render: () => '' },
    ...(offered.length
      ? [
          {
            title: '记录决定',
            dataIndex: 'actions',
            className: 'no-print',
            render: (_: unknown, i: AgendaItem) => (
              <Space wrap>
                {offered.map((d) => (
                  <Button key={d.key} size="small" onClick={() => setOpen({ item: i, decision: d })}>
                    {d.label}
                  </Button>
                ))}
              </Space>
            ),
          } satisfies ProColumns<AgendaItem>,
        ]
      : []),
  ];

  const regions = me?.regions ?? [];
  return (
    <PageContainer
      title="调度会"
      extra={[
        <Button key="print" icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>,
      ]}
    >
      {holder}
      <style>{PRINT_CSS}</style>
      {regions.length > 1 || me?.readsEverywhere ? (
        <Space style={{ marginBottom: 16 }} wrap>
          <label htmlFor="meeting-region">地区</label>
          <Select
            id="meeting-region"
            allowClear
            placeholder="全部负责地区"
            style={{ minWidth: 200 }}
            value={region}
            onChange={(v?: string) => setRegion(v)}
            options={regions.map((r) => ({ value: r, label: regionName(r) }))}
          />
        </Space>
      ) : null}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div id="meeting-agenda">
        <h2 className="print-only" style={{ textAlign: 'center' }}>
          调度会议题清单(截至 {agenda?.asOf})
        </h2>
        {agenda?.truncated && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={`符合上会条件的项目较多,仅列出最紧要的 ${agenda.items.length} 个,请按地区查看`}
          />
        )}
        <ProTable<AgendaItem>
          rowKey="projectId"
          headerTitle={
            agenda ? `截至 ${agenda.asOf},共 ${agenda.items.length} 个项目需上会研究` : '需上会研究的项目'
          }
          columns={columns}
          dataSource={agenda?.items ?? []}
          loading={loading}
          search={false}
          pagination={false}
          scroll={{ x: 'max-content' }}
          options={{ density: false, reload, setting: false }}
        />
      </div>
      <DecisionDrawer
        open={open}
        onClose={() => setOpen(null)}
        onDone={() => {
          void messages.success(`已${open?.decision.label ?? '记录'}`);
          setOpen(null);
          reload();
        }}
      />
    </PageContainer>
  );
}
