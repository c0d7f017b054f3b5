import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ConsoleLayout } from './ConsoleLayout';
import { AuditVerification } from './pages/audit/AuditVerification';
import { ProjectHistory } from './pages/audit/ProjectHistory';
import { Dashboard } from './pages/dashboard/Dashboard';
import { Meeting } from './pages/dashboard/Meeting';
import { Duplicates } from './pages/duplicates/Duplicates';
import { ImportPage } from './pages/imports/ImportPage';
import { Imports } from './pages/imports/Imports';
import { Inbox } from './pages/Inbox';
import { People } from './pages/People';
import { Placeholder } from './pages/Placeholder';
import { ProjectList } from './pages/ProjectList';
import { ProjectPage } from './pages/ProjectPage';
import { RegisterProject } from './pages/RegisterProject';
import { Reports } from './pages/reports/Reports';
import { ReviewReport } from './pages/reviews/ReviewReport';
import { Reviews } from './pages/reviews/Reviews';
import { SignIn } from './pages/SignIn';
import { Supervision } from './pages/Supervision';
import { SupervisionItem } from './pages/SupervisionItem';
import { Bulletin } from './pages/targets/Bulletin';
import { Targets } from './pages/targets/Targets';
import { adoptTokenFromFragment, currentToken, signInPath } from './session';

// Before any page reads the token: single sign-on may have just returned with one.
adoptTokenFromFragment();

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
        <Route path="/projects/new" element={<RegisterProject />} />
        <Route path="/projects/:id" element={<ProjectPage />} />
        <Route path="/inbox" element={<Inbox />} />
        <Route path="/supervision" element={<Supervision />} />
        <Route path="/supervision/:id" element={<SupervisionItem />} />
        <Route path="/people" element={<People />} />
        <Route path="/imports" element={<Imports />} />
        <Route path="/imports/:id" element={<ImportPage />} />
        <Route path="/reports" element={<Reports />} />
        <Route path="/duplicates" element={<Duplicates />} />
        <Route path="/dashboard" element={<Dashboard />} />
        <Route path="/meeting" element={<Meeting />} />
        <Route path="/targets" element={<Targets />} />
        <Route path="/bulletins" element={<Bulletin />} />
        <Route path="/reviews" element={<Reviews />} />
        <Route path="/reviews/:quarter" element={<ReviewReport />} />
        <Route path="/audit" element={<AuditVerification />} />
        <Route path="/projects/:id/history" element={<ProjectHistory />} />
        <Route path="*" element={<Placeholder title="页面不存在" />} />
      </Route>
    </Routes>
  );
}
