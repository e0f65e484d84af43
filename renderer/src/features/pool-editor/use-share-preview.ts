import { useCallback, useMemo, useState } from 'react';
import type { Pool } from '../../../../shared/model/schema';
import { sharePreview, type SharePreview } from './share-math';

/**
 * The "what if" state (which members to treat as tripped) and the shares it gives. The tripped set is view state,
 * never part of the workspace: it is a question the user asks, not a setting.
 */
export function useSharePreview(pool: Pool | undefined): {
  preview: SharePreview;
  tripped: ReadonlySet<string>;
  setTripped(backend: string, on: boolean): void;
  clear(): void;
} {
  const [tripped, setSet] = useState<ReadonlySet<string>>(() => new Set());
  const preview = useMemo(() => sharePreview(pool, tripped), [pool, tripped]);
  const setTripped = useCallback((backend: string, on: boolean) => {
    setSet((prev) => {
      const next = new Set(prev);
      if (on) next.add(backend);
      else next.delete(backend);
      return next;
    });
  }, []);
  const clear = useCallback(() => setSet(new Set()), []);
  return { preview, tripped, setTripped, clear };
}
