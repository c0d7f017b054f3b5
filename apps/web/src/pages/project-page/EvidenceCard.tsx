import { Alert, Button, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { download } from '../../api/ledger-routes';
import { problemText } from '../../api/client';
import { currentToken } from '../../session';
import type { ProjectDetail } from '../project-actions/types';

type RecordedFile = ProjectDetail['files'][number];

/** Bytes as people read a file's size. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const EVENT_LABELS: Record<string, string> = {
  ProjectLanded: '落地',
  ConstructionStarted: '开工',
  StatisticsEntered: '入统',
  ProductionStarted: '投产',
  FundsArrivedRecorded: '到位资金',
  BlockerResolved: '堵点办结',
  ServiceVisitLogged: '走访',
};

/** Media types the API makes a thumbnail of. */
const THUMBNAILED = new Set(['image/jpeg', 'image/png']);

/** A photo's thumbnail, fetched with the caller's token (a plain <img src> cannot send it). */
function Thumbnail({ file }: { file: RecordedFile }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!THUMBNAILED.has(file.mediaType)) return;
    let live = true;
    let made: string | null = null;
    const token = currentToken();
    void fetch(`/api/files/${file.fileId}/thumbnail`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (!live || !blob) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [file.fileId, file.mediaType]);
  if (!url) return <span aria-hidden>—</span>;
  return <img src={url} alt={`${file.name} 缩略图`} style={{ maxWidth: 64, maxHeight: 64 }} />;
}

/**
 * 证明材料: the files the project's steps recorded (each with the hash its event holds, and a
 * download with the caller's token), and what each step needs under the policy in force.
 */
export function EvidenceCard({ project }: { project: ProjectDetail }) {
  const [error, setError] = useState<string | null>(null);
  const fetchFile = async (f: RecordedFile) => {
    setError(null);
    const outcome = await download(f.contentUrl, f.name);
    if (!outcome.ok) setError(`${f.name}:${problemText(outcome.error)}`);
  };
  return (
    <Card title="证明材料" style={{ marginBottom: 16 }} data-testid="project-evidence">
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} />}
      <Table<RecordedFile>
        rowKey={(f) => `${f.eventVersion}-${f.fileId}`}
        size="small"
        pagination={false}
        dataSource={project.files}
        locale={{ emptyText: '尚未上传证明材料' }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '预览', key: 'thumbnail', render: (_, f) => <Thumbnail file={f} /> },
          { title: '环节', key: 'step', render: (_, f) => EVENT_LABELS[f.eventType] ?? f.eventType },
          { title: '材料', key: 'slot', render: (_, f) => f.slotLabel },
          {
            title: '文件',
            key: 'name',
            render: (_, f) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => void fetchFile(f)}>
                {f.name}
              </Button>
            ),
          },
          { title: '大小', key: 'size', align: 'right', render: (_, f) => sizeText(f.size) },
          { title: '拍摄时间', key: 'captured', render: (_, f) => f.capturedAt?.replace('T', ' ') ?? '—' },
          {
            title: 'SHA-256',
            key: 'sha',
            render: (_, f) => (
              <Typography.Text code copyable={{ text: f.sha256 }} title={f.sha256}>
                {f.sha256.slice(0, 12)}…
              </Typography.Text>
            ),
          },
        ]}
      />
      {project.evidenceRequired.length > 0 && (
        <Descriptions title="各环节所需材料" size="small" column={1} style={{ marginTop: 16 }}>
          {project.evidenceRequired.map((s) => (
            <Descriptions.Item key={s.step} label={s.stepLabel}>
              {s.documents.map((d) => (
                <Tag key={d.label}>{d.label}</Tag>
              ))}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}
