import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Descriptions, Select, Space, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, problemText } from '../../api/client';
import { useMe } from '../../me';
import type { BrokenLink, CheckpointSummary, CheckpointVerdict, VerifyReport } from './audit-chain';
import { FileFindings, Hash, PROBLEM_LABELS, shanghaiTime } from './audit-model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The names of the projects a report names (a stream may also be one the ledger does not hold). */
function useProjectNames(ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  // Only projects' ids are asked about: any other stream name would only be refused.
  const key = [...new Set(ids.filter((id) => UUID.test(id)))].slice(0, 50).join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      void api.GET('/api/projects/{id}', { params: { path: { id } } }).then(({ data }) => {
        if (live && data) setNames((n) => ({ ...n, [id]: data.name }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

/** The broken links of a report or verdict, each named and linked to its project's history. */
function BrokenLinks({ links, testId }: { links: BrokenLink[]; testId: string }) {
  const names = useProjectNames(links.map((b) => b.projectId));
  const columns: ProColumns<BrokenLink>[] = [
    {
      title: '项目',
      dataIndex: 'projectId',
      render: (_, b) => (
        <Link to={`/projects/${b.projectId}/history`} title={b.projectId}>
          {names[b.projectId] ?? b.projectId}
        </Link>
      ),
    },
    { title: '事件序号', dataIndex: 'version' },
    {
      title: '问题',
      dataIndex: 'problem',
      render: (_, b) => <Tag color="#a8071a">{PROBLEM_LABELS[b.problem] ?? b.problem}</Tag>,
    },
    { title: '应为', dataIndex: 'expected', render: (_, b) => <Hash value={b.expected} /> },
    { title: '实为', dataIndex: 'found', render: (_, b) => <Hash value={b.found} /> },
    {
      title: '原始说明',
      dataIndex: 'detail',
      render: (_, b) => <Typography.Text type="danger">{b.detail}</Typography.Text>,
    },
  ];
  return (
    <ProTable<BrokenLink>
      headerTitle="断裂的链接"
      ghost
      rowKey={(b) => `${b.projectId}-${b.version}-${b.problem}`}
      columns={columns}
      dataSource={links}
      search={false}
      options={false}
      pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      onRow={(b) => ({ 'data-project': b.projectId }) as never}
      data-testid={testId}
    />
  );
}

/** Picks one project by name (the ledger's search), or none for every chain. */
function ProjectPicker({ value, onChange }: { value?: string; onChange: (id?: string) => void }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api
        .GET('/api/projects', { params: { query: { q: q || undefined, limit: 20 } } })
        .then(({ data }) => {
          if (live && data) setOptions(data.items.map((p) => ({ value: p.projectId, label: p.name })));
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return (
    <Select
      id="audit-project"
      aria-label="项目"
      showSearch
      allowClear
      placeholder="全部项目(输入名称检索)"
      filterOption={false}
      onSearch={setQ}
      options={options}
      value={value}
      onChange={(v?: string) => onChange(v)}
      style={{ width: 'min(100%, 360px)' }}
    />
  );
}

function ChainVerification() {
  const [projectId, setProjectId] = useState<string>();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    const {
      data,
      error: p,
      response,
    } = await api.GET('/api/audit/verify', {
      params: { query: { projectId } },
    });
    setRunning(false);
    if (response.ok) setReport(data ?? null);
    else setError(problemText(p));
  };
  return (
    <Card title="哈希链核验" style={{ marginBottom: 16 }}>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="audit-project">项目</label>
        <ProjectPicker value={projectId} onChange={setProjectId} />
        <Button type="primary" loading={running} onClick={() => void run()}>
          {projectId ? '核验该项目' : '核验全部项目'}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {report && (
        <div data-testid="verify-report" data-ok={String(report.ok)}>
          <Alert
            type={report.ok ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 16 }}
            message={
              report.broken.length === 0
                ? `哈希链完整:${report.projects} 个项目、${report.events} 条事件均已核验` +
                  `,证明材料 ${report.files.checked} 份已重新计算哈希`
                : `${report.broken.length} 条哈希链断裂(共核验 ${report.projects} 个项目、${report.events} 条事件)`
            }
          />
          <FileFindings findings={report.files.broken} />
          {report.broken.length > 0 && <BrokenLinks links={report.broken} testId="verify-broken" />}
        </div>
      )}
    </Card>
  );
}

/** Fetches a checkpoint's digest (the token goes in the header, so not a plain link) and saves it. */
async function downloadDigest(id: number): Promise<string | null> {
  const { data, error, response } = await api.GET('/api/audit/checkpoints/{id}/digest', {
    params: { path: { id } },
    parseAs: 'blob',
  });
  if (!response.ok || !data) return problemText(error);
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = `checkpoint-${id}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}

function Checkpoints({ mayCreate }: { mayCreate: boolean }) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<CheckpointSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    let live = true;
    void api.GET('/api/audit/checkpoints').then(({ data, error: p, response }) => {
      if (!live) return;
      if (response.ok) setRows(data ?? []);
      else setError(problemText(p));
    });
    return () => {
      live = false;
    };
  }, [reads]);
  const create = async () => {
    setCreating(true);
    const { error: p, response } = await api.POST('/api/audit/checkpoints');
    setCreating(false);
    if (response.ok) {
      void message.success('已生成检查点');
      setReads((n) => n + 1);
    } else setError(problemText(p));
  };
  const columns: ProColumns<CheckpointSummary>[] = [
    { title: '编号', dataIndex: 'id' },
    { title: '生成时间', dataIndex: 'createdAt', render: (_, c) => shanghaiTime(c.createdAt) },
    { title: '项目数', dataIndex: 'projects' },
    { title: '事件数', dataIndex: 'events' },
    { title: 'Merkle 根', dataIndex: 'merkleRoot', render: (_, c) => <Hash value={c.merkleRoot} /> },
    {
      title: '摘要文件',
      dataIndex: 'digest',
      render: (_, c) => (
        <Button
          size="small"
          aria-label={`下载检查点 ${c.id} 的摘要`}
          onClick={() =>
            void downloadDigest(c.id).then((problem) => {
              if (problem) void message.error(problem);
            })
          }
        >
          下载摘要
        </Button>
      ),
    },
  ];
  return (
    <>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <ProTable<CheckpointSummary>
        headerTitle="检查点"
        rowKey="id"
        columns={columns}
        dataSource={rows ?? []}
        loading={!rows && !error}
        search={false}
        options={false}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ 'data-checkpoint': String(c.id) }) as never}
        data-testid="checkpoints"
        toolBarRender={() =>
          mayCreate
            ? [
                <Button key="create" type="primary" loading={creating} onClick={() => void create()}>
                  立即生成检查点
                </Button>,
              ]
            : []
        }
      />
    </>
  );
}

const check = (ok: boolean, part: string) => (
  <Tag color={ok ? '#237804' : '#a8071a'} data-check={part} data-ok={String(ok)}>
    {ok ? '通过' : '不通过'}
  </Tag>
);

/** Checks a digest file kept outside the database against the history. */
function DigestCheck() {
  const [verdict, setVerdict] = useState<CheckpointVerdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const checkFile = async (f: File) => {
    setFile(f.name);
    setVerdict(null);
    setError(null);
    let digest: unknown;
    try {
      digest = JSON.parse(await f.text());
    } catch {
      setError('文件不是有效的 JSON 摘要');
      return;
    }
    setChecking(true);
    const {
      data,
      error: p,
      response,
    } = await api.POST('/api/audit/checkpoints/verify', {
      body: digest as never,
    });
    setChecking(false);
    if (response.ok) setVerdict(data ?? null);
    else setError(problemText(p));
  };
  return (
    <Card title="核对保存的摘要" style={{ marginTop: 16 }}>
      <div data-testid="digest-upload">
        <Upload.Dragger
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(f) => {
            void checkFile(f);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入检查点摘要文件(checkpoint-*.json)</p>
          <p className="ant-upload-hint">文件只用于核对,不会保存</p>
        </Upload.Dragger>
      </div>
      {checking && <Typography.Paragraph style={{ marginTop: 16 }}>正在核对 {file} …</Typography.Paragraph>}
      {error && (
        <Alert type="error" showIcon message={`${file ?? ''} 无法核对:${error}`} style={{ marginTop: 16 }} />
      )}
      {verdict && (
        <div data-testid="digest-verdict" data-ok={String(verdict.ok)} style={{ marginTop: 16 }}>
          <Alert
            type={verdict.ok ? 'success' : 'error'}
            showIcon
            message={
              verdict.ok
                ? `摘要有效:检查点 ${verdict.checkpointId ?? ''} 覆盖的 ${verdict.projectsChecked} 个项目与现有记录一致`
                : `摘要无效:${file ?? ''}`
            }
            style={{ marginBottom: 16 }}
          />
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label="签名">{check(verdict.signatureValid, 'signature')}</Descriptions.Item>
            <Descriptions.Item label="公钥为本系统所有">{check(verdict.trustedKey, 'key')}</Descriptions.Item>
            <Descriptions.Item label="Merkle 根">
              {check(verdict.merkleRootValid, 'merkle-root')}
            </Descriptions.Item>
            <Descriptions.Item label="逐链核对">
              {verdict.signatureValid && verdict.trustedKey && verdict.merkleRootValid ? (
                <>
                  {check(verdict.findings.length === 0, 'chains')} 已核对 {verdict.projectsChecked} 个项目
                </>
              ) : (
                // A file whose signature or root fails says nothing to check the chains against.
                <Tag data-check="chains" data-ok="unchecked">
                  未核对
                </Tag>
              )}
            </Descriptions.Item>
          </Descriptions>
          {verdict.findings.length > 0 && (
            <div style={{ marginTop: 16 }}>
              <BrokenLinks links={verdict.findings} testId="digest-findings" />
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

/** Chain verification, checkpoints and kept digests. */
export function AuditVerification() {
  const me = useMe();
  const mayCreate = me?.capabilities.includes('audit.checkpoint') ?? false;
  return (
    <PageContainer title="审计核验">
      <ChainVerification />
      <Checkpoints mayCreate={mayCreate} />
      <DigestCheck />
    </PageContainer>
  );
}
