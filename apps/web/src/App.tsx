import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ConsoleLayout } from './ConsoleLayout';
import { Placeholder } from './pages/Placeholder';
import { ProjectList } from './pages/ProjectList';
import { ProjectPage } from './pages/ProjectPage';
import { SignIn } from './pages/SignIn';
import { currentToken, signInPath } from './session';

/** Pages behind sign-in: without a token the user signs in first and comes back here. */
function SignedIn() {
  const location = useLocation();
  if (!currentToken()) return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  return <ConsoleLayout />;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route element={<SignedIn />}>
        <Route index element={<Navigate to="/projects" replace />} />
        <Route path="/projects" element={<ProjectList />} />
        <Route path="/projects/:id" element={<ProjectPage />} />
        <Route path="/inbox" element={<Placeholder title="我的待办" />} />
        <Route path="/supervision" element={<Placeholder title="督办" />} />
        <Route path="*" element={<Placeholder title="页面不存在" />} />
      </Route>
    </Routes>
  );
}
