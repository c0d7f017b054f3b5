/**
 * What an empty table says, in the theme's readable grey: antd's own placeholder text is its disabled
 * colour (25% black), below WCAG AA contrast.
 */
export function EmptyText({ children }: { children: string }) {
  return <span style={{ color: 'rgba(0, 0, 0, 0.6)' }}>{children}</span>;
}
