import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';

// antd's default blue (#1677ff) and its tertiary grey (45% black) on white are 3.9:1 and 3.4:1; these
// keep text, labels and buttons above WCAG AA's 4.5:1.
const theme = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    // The hover shade antd derives from it (#2e7ae6) is 4.2:1 under white text: a darker one instead.
    colorPrimaryHover: '#003eb3',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    // antd's error red (#ff4d4f) is 3.3:1 on white: a field's error message must be readable.
    colorError: '#cf1322',
  },
  components: {
    // An empty table says so in colorTextDisabled (25% black, 1.9:1): a table's words must be readable.
    Table: { colorTextDisabled: 'rgba(0, 0, 0, 0.6)' },
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
