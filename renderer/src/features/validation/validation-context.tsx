import { createContext, useContext, useMemo } from 'react';
import { issuesAt, NO_ISSUES, type Issues } from './issues-at';

// Screens pass the issues down once; fields deep in a card read theirs by path without prop drilling.
const IssuesContext = createContext<Issues>(NO_ISSUES);

export function ValidationProvider({ issues, children }: { issues: Issues; children: React.ReactNode }) {
  return <IssuesContext.Provider value={issues}>{children}</IssuesContext.Provider>;
}

/** The errors and warnings at a path (exact: that field only; otherwise the path and everything below it). */
export function useIssuesAt(path: string, exact = true): Issues {
  const all = useContext(IssuesContext);
  return useMemo(() => issuesAt(all, path, { exact }), [all, path, exact]);
}

export function useAllIssues(): Issues {
  return useContext(IssuesContext);
}
