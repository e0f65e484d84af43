import { z } from 'zod';
import { secretNameSchema } from '../model/schema';
import { defineService, type ServiceApi } from './define';

/*
 * Backend secrets by name (DESIGN §1). Values go in and never come back out: the renderer only learns whether a
 * name resolves, and from where.
 */
export const secretSourceSchema = z.enum(['store', 'env', 'missing']);

export const secretsStatusSchema = z.object({
  store: z.object({
    kind: z.enum(['memory', 'keychain']),
    /** false in serve mode: secrets entered there live in memory only. */
    persistent: z.boolean(),
  }),
  secrets: z.array(z.object({ name: z.string(), source: secretSourceSchema })),
});
export type SecretsStatus = z.infer<typeof secretsStatusSchema>;

export const secretsService = defineService(
  'secrets',
  {
    /** Without names: every stored name and every name the open workspace refers to. */
    status: { input: z.strictObject({ names: z.array(secretNameSchema).max(1000).optional() }), output: secretsStatusSchema },
    set: {
      input: z.strictObject({ name: secretNameSchema, value: z.string().min(1, { error: 'must not be empty' }).max(16_384, { error: 'must be at most 16384 characters' }) }),
      output: z.object({ name: z.string(), source: secretSourceSchema }),
    },
    remove: { input: z.strictObject({ name: secretNameSchema }), output: z.object({ removed: z.boolean() }) },
  },
  { changed: z.object({ names: z.array(z.string()) }) },
);

export type SecretsService = ServiceApi<typeof secretsService>;
