import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import { useMemo, useState } from 'react';
import type { Workspace } from '../../../../shared/model/schema';
import { validateWorkspace } from '../../../../shared/model/validate';
import type { ScreenProps, WorkspaceEdit } from './screen-props';

/*
 * Test support for the editor screens: holds the workspace like the frame's store does (every onEdit applied to
 * the latest value) and validates it on each change, so tests see edits, inline issues and previews together.
 */

export interface Harness {
  current(): Workspace;
  edits(): number;
}

export function renderScreen(Screen: (props: ScreenProps) => React.ReactNode, initial: Workspace) {
  let latest = initial;
  let count = 0;
  function Host() {
    const [ws, setWs] = useState(initial);
    const issues = useMemo(() => {
      const r = validateWorkspace(ws);
      return { errors: r.errors, warnings: r.warnings };
    }, [ws]);
    const onEdit = (edit: WorkspaceEdit) =>
      setWs((prev) => {
        const next = edit(prev);
        if (next !== prev) count++;
        latest = next;
        return next;
      });
    return <Screen workspace={ws} onEdit={onEdit} issues={issues} />;
  }
  const utils = render(
    <FluentProvider theme={webLightTheme}>
      <Host />
    </FluentProvider>,
  );
  const harness: Harness = { current: () => latest, edits: () => count };
  return { ...utils, harness };
}

/** Two backends in one lane of one pool behind one api; east has a 5xx breaker. */
export function twoBackendWorkspace(): Workspace {
  return {
    version: 1,
    backends: {
      east: {
        url: 'https://east.openai.azure.com/openai',
        auth: { type: 'api-key', secret: 'east-key' },
        circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M', acceptRetryAfter: true }] },
      },
      west: { url: 'https://west.openai.azure.com/openai' },
    },
    pools: { pool: { services: [{ backend: 'east', priority: 1, weight: 1 }, { backend: 'west', priority: 1, weight: 1 }] } },
    apis: { chat: { path: 'openai', backend: 'pool', retry: { count: 1, on: [429, 503] } } },
  };
}
