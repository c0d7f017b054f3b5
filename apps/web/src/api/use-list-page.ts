import { useEffect, useState, type DependencyList } from 'react';
import { problemText } from './client';

/** One page of a list route: its rows, and the cursor of the next page when there is one. */
interface ListPage {
  items: unknown[];
  nextCursor?: string | null;
}

/**
 * A list page's rows, read again whenever `deps` change (its filters, its cursor); an answer that
 * arrives after the filters changed again is dropped. `setRows` lets a page show a row it changed.
 */
export function useListPage<Page extends ListPage>(
  load: () => Promise<{ data?: Page; error?: unknown }>,
  deps: DependencyList,
) {
  const [page, setPage] = useState<Page | null>(null);
  const [rows, setRows] = useState<Page['items']>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void load().then(({ data, error: problem }) => {
      if (!live) return;
      setLoading(false);
      setError(data ? null : problemText(problem));
      setPage(data ?? null);
      setRows(data?.items ?? []);
    });
    return () => {
      live = false;
    };
    // `load` is the caller's closure over `deps`: they say when to read again.
  }, deps);

  return { page, rows, setRows, next: page?.nextCursor ?? undefined, loading, error, setError };
}
