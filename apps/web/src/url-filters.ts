/**
 * A list's filters as the URL keeps them, after `changes`: an empty value removes its filter, and
 * any change starts again from the first page unless the change is the page itself (`keepCursor`).
 */
export function withFilters(
  params: URLSearchParams,
  changes: Record<string, string | undefined>,
  keepCursor = false,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  if (!keepCursor) next.delete('cursor');
  return next;
}
