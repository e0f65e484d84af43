import { z } from 'zod';
import { defineService, type ServiceApi } from './define';

/** Commands from the native menu (desktop): the renderer runs them, so undo/redo and errors behave the same. */
export const APP_COMMANDS = ['open', 'save', 'saveAs', 'newFromDemo', 'undo', 'redo'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['electron', 'serve']),
  /** true where the main side can show native open/save dialogs; otherwise the renderer asks for a path. */
  nativeDialogs: z.boolean(),
  /** Where relative paths typed in serve mode resolve; null in the desktop app. */
  cwd: z.string().nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appService = defineService(
  'app',
  { info: { output: appInfoSchema } },
  { command: z.object({ command: z.enum(APP_COMMANDS) }) },
);

export type AppService = ServiceApi<typeof appService>;
