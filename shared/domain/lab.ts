import { z } from 'zod';

export const computeBackendSchema = z.object({
  /** tensorflow: native tfjs-node; wasm and cpu are the fallbacks. */
  name: z.enum(['tensorflow', 'wasm', 'cpu']),
  detail: z.string(),
});

export type ComputeBackend = z.infer<typeof computeBackendSchema>;

export const labInfoSchema = z.object({
  version: z.string(),
  workspace: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  backend: computeBackendSchema,
});

export type LabInfo = z.infer<typeof labInfoSchema>;
