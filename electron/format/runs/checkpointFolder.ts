import { join } from 'node:path';
import { z } from 'zod';
import { defineFormat } from '../versionedFile.js';

/** Written last into a checkpoint folder: a folder without it is incomplete. */
export const checkpointMarker = 'state.json';

/** Training state beside the weights: enough to continue the run exactly where it stopped. */
export const checkpointStateSchema = z.object({
  epoch: z.number().int().min(0),
  /** The best validation score so far; null before any (JSON has no Infinity). */
  best: z.number().nullable(),
  sinceBest: z.number().int().min(0),
  /** The optimizer's scalars; its moment arrays are `optimizer.f32`, `lengths` floats each, in order. */
  optimizer: z.object({
    kind: z.string(),
    step: z.number().int().min(0),
    /** tfjs optimizers' slot names and shapes, where the state comes from one. */
    names: z.array(z.string()).optional(),
    shapes: z.array(z.array(z.number().int())).optional(),
    lengths: z.array(z.number().int().min(0)),
  }),
});
export type CheckpointState = z.infer<typeof checkpointStateSchema>;
export const checkpointStateFormat = defineFormat('checkpoint state', 1, checkpointStateSchema);

/** One checkpoint's files: encoder and decoder in the tfjs layers format, optimizer moments, state. */
export class CheckpointFolder {
  constructor(readonly dir: string) {}

  model(part: 'encoder' | 'decoder'): string {
    return join(this.dir, part);
  }
  get optimizerFile(): string {
    return join(this.dir, 'optimizer.f32');
  }
  get stateFile(): string {
    return join(this.dir, checkpointMarker);
  }
}
