import type { RunProgress, RunState } from '../../../shared/domain/run.js';

/** Messages from the lab to an engine process (child_process.fork / utilityProcess). */
export type ToEngine =
  | { type: 'start'; workspace: string; runId: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'serve'; workspace: string; runId: string }
  | { type: 'query'; requestId: number; query: ModelQuery };

/** On-demand work on a trained model (the latent explorer's slider path). */
export type ModelQuery =
  | { kind: 'decode'; latents: Float32Array; count: number }
  | { kind: 'encode'; indices: Int32Array }
  | { kind: 'sample'; count: number; seed: number; from: 'prior' | 'fitted' };

export interface ModelAnswer {
  /** Decoded or sampled images: count × height × width × channels, model-input scale. */
  images?: Float32Array<ArrayBuffer>;
  /** Codes: count × latent size. */
  codes?: Float32Array<ArrayBuffer>;
  shape: number[];
  latentSize: number;
}

/** Messages from an engine process to the lab. */
export type FromEngine =
  /** The engine listens; it loads its compute backend on the first request, sized for that work. */
  | { type: 'ready' }
  | { type: 'progress'; progress: RunProgress; rssBytes: number }
  | { type: 'state'; runId: string; state: RunState }
  | { type: 'done'; runId: string; state: RunState }
  | { type: 'answer'; requestId: number; ok: true; answer: ModelAnswer }
  | { type: 'answer'; requestId: number; ok: false; error: string };
