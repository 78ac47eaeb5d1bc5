import { z } from 'zod';

/**
 * What a workspace holds that the lab cannot use as it is: damaged items (listed, never
 * hidden, their ids kept taken) and leftovers of work that was killed half-way.
 */
export const damagedKinds = ['dataset', 'run', 'job', 'file'] as const;
export type DamagedKind = (typeof damagedKinds)[number];

export const damagedItemSchema = z.object({
  kind: z.enum(damagedKinds),
  /** The dataset, run or job id (the folder's name); a workspace file's name for 'file'. */
  id: z.string(),
  /** Workspace-relative, '/'-separated: 'datasets/shapes', 'runs/20260101000000-abcdef', 'builtins.json'. */
  path: z.string(),
  /** What is wrong, naming the file and the field at fault. */
  problem: z.string(),
  /** What the user can do about it. */
  remedy: z.string(),
});
export type DamagedItem = z.infer<typeof damagedItemSchema>;

export const leftoverKinds = ['import', 'create', 'delete', 'write'] as const;

/** A temporary file or folder of a killed import, delete or write: safe to remove, never a user's data. */
export const leftoverSchema = z.object({
  kind: z.enum(leftoverKinds),
  path: z.string(),
  /** What made it, in words. */
  description: z.string(),
});
export type Leftover = z.infer<typeof leftoverSchema>;

export const workspaceCheckSchema = z.object({
  damaged: z.array(damagedItemSchema),
  /** Leftovers there now, untouched for a minute or more: found after the start, or where cleaning failed (a read-only disk, a lab that does not own the workspace). */
  leftovers: z.array(leftoverSchema),
  /** Leftovers this lab removed when it opened the workspace. */
  cleanedAtStart: z.array(leftoverSchema),
  /** Whether every dataset's samples were checked against the content hash stored at import. */
  contentVerified: z.boolean(),
});
export type WorkspaceCheck = z.infer<typeof workspaceCheckSchema>;

export const repairReportSchema = z.object({
  /** Workspace-relative folder the damaged items were moved to; null when nothing was damaged. */
  quarantine: z.string().nullable(),
  moved: z.array(damagedItemSchema),
  /** Items that could not be moved, with why. */
  failed: z.array(z.object({ item: damagedItemSchema, reason: z.string() })),
  after: workspaceCheckSchema,
});
export type RepairReport = z.infer<typeof repairReportSchema>;
