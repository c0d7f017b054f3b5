import {
  AlertOutlined,
  AimOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CopyOutlined,
  DashboardOutlined,
  HistoryOutlined,
  NotificationOutlined,
  PlusOutlined,
  ScheduleOutlined,
  TableOutlined,
  TeamOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { ProLayout, type MenuDataItem } from '@ant-design/pro-components';
import { Button, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, problemText } from './api/client';
import { MeContext, type Me } from './me';
import { forgetToken } from './session';

/**
 * The side menu for the caller's role: supervision only for those who take its steps; the people
 * directory for everyone, as GET /api/people reads for anyone signed in (admins also keep it there).
 */
function menuFor(me: Me): MenuDataItem[] {
  const leads = ['leader', 'admin'].includes(me.role);
  const items: MenuDataItem[] = [
    // Leaders open on their 驾驶舱 and the meeting's list; everyone reads the targets and bulletin.
    ...(leads
      ? [
          { path: '/dashboard', name: '领导驾驶舱', icon: <DashboardOutlined /> },
          { path: '/meeting', name: '调度会', icon: <ScheduleOutlined /> },
        ]
      : []),
    { path: '/projects', name: '项目台账', icon: <TableOutlined /> },
    // 线索登记 for those who register leads.
    ...(me.commands.includes('RegisterLead')
      ? [{ path: '/projects/new', name: '登记线索', icon: <PlusOutlined /> }]
      : []),
    // 导入台账 for those who may record an imported history.
    ...((me.commands as string[]).includes('RecordHistory')
      ? [{ path: '/imports', name: '导入台账', icon: <UploadOutlined /> }]
      : []),
    { path: '/inbox', name: '我的待办', icon: <BellOutlined /> },
    { path: '/reports', name: '报表', icon: <BarChartOutlined /> },
    { path: '/targets', name: '目标任务', icon: <AimOutlined /> },
    { path: '/bulletins', name: '月度通报', icon: <NotificationOutlined /> },
  ];
  if (leads || me.role === 'auditor') {
    items.push({ path: '/reviews', name: '回头看', icon: <HistoryOutlined /> });
  }
  if (me.capabilities.includes('audit.read')) {
    items.push({ path: '/audit', name: '审计核验', icon: <AuditOutlined /> });
  }
  // 疑似重复 for those who oversee the ledger: leaders, admins and auditors.
  if (['leader', 'admin', 'auditor'].includes(me.role)) {
    items.push({ path: '/duplicates', name: '疑似重复', icon: <CopyOutlined /> });
  }
  if (me.capabilities.includes('supervision.step')) {
    items.push({ path: '/supervision', name: '督办', icon: <AlertOutlined /> });
  }
  items.push({ path: '/people', name: '人员名录', icon: <TeamOutlined /> });
  return items;
}

export function ConsoleLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api.GET('/api/me').then(({ data, error: problem }) => {
      if (!live) return;
      if (data) setMe(data);
      else if (problem) setError(problemText(problem));
    });
    return () => {
      live = false;
    };
  }, []);

  if (error) return <Result status="warning" title="无法读取当前用户" subTitle={error} />;
  if (!me) return <Spin size="large" fullscreen />;

  const signOut = () => {
    forgetToken();
    void navigate('/sign-in');
  };
  return (
    <MeContext.Provider value={me}>
      <ProLayout
        title="招商项目全周期"
        logo={false}
        layout="side"
        fixSiderbar
        location={{ pathname: location.pathname }}
        route={{ path: '/', routes: menuFor(me) }}
        menuItemRender={(item, dom) => <Link to={item.path ?? '/'}>{dom}</Link>}
        actionsRender={() => [
          <Space key="me">
            <Typography.Text
              data-testid="whoami"
              title={`${me.id} · ${me.roleLabel}`}
              style={{
                display: 'inline-block',
                maxWidth: '50vw',
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                verticalAlign: 'middle',
              }}
            >
              {me.name ?? me.id} · {me.roleLabel}
            </Typography.Text>
            <Button size="small" onClick={signOut}>
              退出
            </Button>
          </Space>,
        ]}
      >
        <Outlet />
      </ProLayout>
    </MeContext.Provider>
  );
}
