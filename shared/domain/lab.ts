import { z } from 'zod';

export const computeBackendSchema = z.object({
  /** tensorflow: native tfjs-node; wasm and cpu are the fallbacks. */
  name: z.enum(['tensorflow', 'wasm', 'cpu']),
  detail: z.string(),
});

export type ComputeBackend = z.infer<typeof computeBackendSchema>;

/**
 * How this lab holds its workspace: one process owns it (trains, recovers, writes); another
 * opens it read-only and says why (another process owns it, or the disk refuses writes).
 */
export const workspaceAccessSchema = z.object({
  mode: z.enum(['owner', 'read-only']),
  /** Why the workspace is read-only, in the user's words; null for the owner. */
  reason: z.string().nullable(),
  /** The owning process where another one owns the workspace. */
  ownerPid: z.number().int().nullable(),
});

export type WorkspaceAccess = z.infer<typeof workspaceAccessSchema>;

export const labInfoSchema = z.object({
  version: z.string(),
  workspace: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  backend: computeBackendSchema,
  access: workspaceAccessSchema,
});

export type LabInfo = z.infer<typeof labInfoSchema>;
