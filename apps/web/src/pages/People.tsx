import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App as AntApp, Button, Form, Input, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { ROLE_LABELS } from '../../../../libs/domain/src/actor';
import { PERSONAL_CHANNEL_LABELS } from '../../../../libs/domain/src/people';
import { api, problemText, type Schemas } from '../api/client';
import { useListPage } from '../api/use-list-page';
import { FilterButtons } from '../components/FilterButtons';
import { useMe } from '../me';
import { regionName, regionWithDistricts } from '../regions';
import { withFilters } from '../url-filters';
import { readDraft } from '../session';
import { DIVISIONS, PersonForm, ROLES, type PersonFormMode, type PersonValues } from './PersonForm';

type Person = Schemas['PersonView'];
type Query = NonNullable<import('../api/schema').paths['/api/people']['get']['parameters']['query']>;

/** The list's query as the URL holds it, so that a link shows the same list. */
function queryOf(params: URLSearchParams): Query {
  const active = params.get('active');
  const reachable = params.get('reachable');
  return {
    q: params.get('q') ?? undefined,
    role: (params.get('role') ?? undefined) as Query['role'],
    region: params.get('region') ?? undefined,
    active: active === 'false' ? false : undefined,
    reachable: reachable === 'false' ? false : reachable === 'true' ? true : undefined,
    cursor: params.get('cursor') ?? undefined,
  };
}

const PERSON_PATH = /^\/api\/people(?:\/([^/]+))?$/;

/** The form a write refused for an expired sign-in was filling in, to fill in again. */
function draftMode(page: string): PersonFormMode | null {
  const draft = readDraft(page);
  const match = draft ? PERSON_PATH.exec(draft.path) : null;
  if (!draft || !match) return null;
  const values = (draft.body ?? {}) as Partial<PersonValues>;
  const idempotencyKey = draft.idempotencyKey ?? undefined;
  if (draft.method === 'POST' && !match[1]) return { kind: 'create', values, idempotencyKey };
  if (draft.method === 'PUT' && match[1]) {
    const personId = decodeURIComponent(match[1]);
    return { kind: 'edit', personId, etag: draft.ifMatch, values: { ...values, personId }, idempotencyKey };
  }
  return null;
}

/** 人员名录: everyone signed in reads it; admins (people.manage) add, change and retire people. */
export function People() {
  const me = useMe();
  const { pathname } = useLocation();
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const [reloads, setReloads] = useState(0);
  const [filters] = Form.useForm();
  const manages = me?.capabilities.includes('people.manage') ?? false;
  const [mode, setMode] = useState<PersonFormMode | null>(() => (manages ? draftMode(pathname) : null));

  const { rows, next, loading, error } = useListPage(
    () => api.GET('/api/people', { params: { query } }),
    [query, reloads],
  );

  useEffect(() => {
    filters.setFieldsValue({
      ...query,
      active: query.active === false ? 'false' : 'true',
      reachable: query.reachable === undefined ? undefined : String(query.reachable),
    });
  }, [filters, query]);

  /** Changes the URL's filter; any change starts again from the first page. */
  const update = (changes: Record<string, string | undefined>, keepCursor = false) =>
    setParams(withFilters(params, changes, keepCursor));

  /** Opens the form on the person as the API has them now, with the ETag its If-Match sends. */
  const edit = async (personId: string) => {
    const {
      data,
      error: problem,
      response,
    } = await api.GET('/api/people/{id}', {
      params: { path: { id: personId } },
    });
    if (!data) {
      void message.error(problemText(problem));
      return;
    }
    setMode({
      kind: 'edit',
      personId,
      etag: response.headers.get('ETag'),
      values: {
        personId: data.personId,
        name: data.name,
        role: data.role,
        regions: data.regions,
        phone: data.phone,
        email: data.email,
        active: data.active,
      },
    });
  };

  const regionChoices = [...new Set((me?.regions ?? []).flatMap(regionWithDistricts))];
  const columns: ProColumns<Person>[] = [
    { title: '姓名', dataIndex: 'name' },
    { title: '人员编号', dataIndex: 'personId' },
    { title: '角色', dataIndex: 'roleLabel' },
    {
      title: '区域',
      dataIndex: 'regions',
      render: (_, p) => (p.regions.length ? p.regions.map(regionName).join('、') : '—'),
    },
    { title: '电话', dataIndex: 'phone', render: (_, p) => p.phone ?? '—' },
    { title: '电子邮箱', dataIndex: 'email', render: (_, p) => p.email ?? '—' },
    {
      title: '状态',
      dataIndex: 'active',
      // Words, not antd's tinted tags, whose colours on their tints are below WCAG AA contrast.
      render: (_, p) => (p.active ? '在职' : '已停用'),
    },
  ];
  if (manages) {
    columns.push({
      title: '接收渠道',
      dataIndex: 'channels',
      // Someone no alert can reach is said so in words, for the admin to give them an e-mail or mobile.
      render: (_, p) =>
        p.channels && p.channels.length > 0
          ? p.channels.map((c) => PERSONAL_CHANNEL_LABELS[c]).join('、')
          : '无（收不到预警）',
    });
    columns.push({
      title: '操作',
      key: 'actions',
      render: (_, p) => (
        <Button type="link" size="small" aria-label={`编辑 ${p.name}`} onClick={() => void edit(p.personId)}>
          编辑
        </Button>
      ),
    });
  }

  return (
    <PageContainer title="人员名录">
      <Form
        form={filters}
        layout="inline"
        style={{ rowGap: 8, marginBottom: 16 }}
        onFinish={(v: Record<string, string | undefined>) =>
          update({
            q: v.q?.trim(),
            role: v.role,
            region: v.region,
            active: v.active === 'false' ? 'false' : undefined,
            reachable: v.reachable,
          })
        }
      >
        <Form.Item name="q" label="姓名">
          <Input allowClear placeholder="姓名或编号" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="role" label="角色">
          <Select
            allowClear
            style={{ width: 130 }}
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          />
        </Form.Item>
        <Form.Item name="region" label="区域">
          {/* Within the caller's regions; those who act nowhere in particular (admins) search all. */}
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 170 }}
            options={
              regionChoices.length > 0
                ? regionChoices.map((c) => ({ value: c, label: regionName(c) }))
                : DIVISIONS
            }
          />
        </Form.Item>
        {manages && (
          <Form.Item name="active" label="状态">
            <Select
              style={{ width: 100 }}
              options={[
                { value: 'true', label: '在职' },
                { value: 'false', label: '已停用' },
              ]}
            />
          </Form.Item>
        )}
        {manages && (
          <Form.Item name="reachable" label="接收渠道">
            <Select
              allowClear
              style={{ width: 140 }}
              options={[
                { value: 'false', label: '无接收渠道' },
                { value: 'true', label: '有接收渠道' },
              ]}
            />
          </Form.Item>
        )}
        <FilterButtons form={filters} setParams={setParams} />
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <ProTable<Person>
        rowKey="personId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload: false, setting: false }}
        toolBarRender={() => [
          manages && (
            <Button key="add" type="primary" onClick={() => setMode({ kind: 'create' })}>
              新增人员
            </Button>
          ),
          <Button key="first" disabled={!query.cursor} onClick={() => update({})}>
            首页
          </Button>,
          <Button key="next" disabled={!next} onClick={() => update({ cursor: next }, true)}>
            下一页
          </Button>,
        ]}
      />
      {mode && (
        <PersonForm
          key={mode.kind === 'edit' ? `${mode.personId}:${mode.etag}` : 'create'}
          mode={mode}
          page={pathname}
          onCancel={() => setMode(null)}
          onReload={(personId) => void edit(personId)}
          onDone={(person) => {
            setMode(null);
            void message.success(`已保存:${person.name}`);
            setReloads((n) => n + 1);
          }}
        />
      )}
    </PageContainer>
  );
}
