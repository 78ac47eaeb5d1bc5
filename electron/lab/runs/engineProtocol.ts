import type { RunProgress, RunState } from '../../../shared/domain/run.js';

/** Messages from the lab to an engine process (child_process.fork / utilityProcess). */
export type ToEngine = { type: 'start'; workspace: string; runId: string } | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

/** Messages from an engine process to the lab. */
export type FromEngine =
  | { type: 'ready'; backend: string; detail: string }
  | { type: 'progress'; progress: RunProgress; rssBytes: number }
  | { type: 'state'; runId: string; state: RunState }
  | { type: 'done'; runId: string; state: RunState };
