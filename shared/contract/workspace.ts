import { z } from 'zod';
import { defineService, type ServiceApi } from './define';

/*
 * The open workspace. The main side holds the document (and its YAML comments); the renderer holds the undo
 * history and pushes each edit with `update`. Dirty = the value differs from what was last read or saved.
 */
const issueSchema = z.object({ path: z.string(), message: z.string() });
const countsSchema = z.object({ backends: z.number().int(), pools: z.number().int(), apis: z.number().int() });

/** A workspace value while it is being edited: any map (it may be invalid); the model validates it. */
export const workspaceValueSchema = z.record(z.string(), z.unknown());

/** A file path on the machine that runs the main side (absolute, or relative to where `serve` started). */
export const filePathSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(4096, { error: 'must be at most 4096 characters' })
  .refine((p) => !p.includes('\u0000'), { error: 'must not contain NUL characters' });

export const workspaceStateSchema = z.object({
  /** Changes when another document is opened or created: the renderer starts a fresh undo history. */
  documentId: z.number().int(),
  /** Increases with every change of the value, the path or the saved state. */
  revision: z.number().int(),
  /** null: not saved to a file yet (the built-in demo); the first save asks for a path. */
  path: z.string().nullable(),
  name: z.string(),
  format: z.enum(['yaml', 'json']),
  workspace: workspaceValueSchema,
  dirty: z.boolean(),
  valid: z.boolean(),
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
  counts: countsSchema,
});
export type WorkspaceState = z.infer<typeof workspaceStateSchema>;
export type WorkspaceIssue = z.infer<typeof issueSchema>;

export const validationReportSchema = z.object({
  valid: z.boolean(),
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
  counts: countsSchema,
});
export type ValidationReport = z.infer<typeof validationReportSchema>;

export const workspaceService = defineService(
  'workspace',
  {
    current: { output: workspaceStateSchema },
    /** Without a path: the native file picker (desktop); serve mode answers `needs-path`. */
    open: { input: z.strictObject({ path: filePathSchema.optional() }), output: workspaceStateSchema },
    newFromDemo: { output: workspaceStateSchema },
    update: { input: z.strictObject({ workspace: workspaceValueSchema }), output: workspaceStateSchema },
    /** Saves to the document's file; `needs-path` when it has none (or `saveAs` is then picked natively). */
    save: { output: workspaceStateSchema },
    saveAs: {
      /** `replaceNonWorkspace`: the user confirmed replacing an existing file that is not a workspace (never through a link). */
      input: z.strictObject({ path: filePathSchema.optional(), overwrite: z.boolean().optional(), replaceNonWorkspace: z.boolean().optional() }),
      output: workspaceStateSchema,
    },
    validate: { input: z.strictObject({ workspace: workspaceValueSchema.optional() }), output: validationReportSchema },
  },
  { changed: workspaceStateSchema },
);

export type WorkspaceService = ServiceApi<typeof workspaceService>;
