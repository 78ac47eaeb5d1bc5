import { z } from 'zod';
import { runProgressSchema, runStateSchema } from '../../../shared/domain/run.js';
import { jobProgressSchema } from '../../../shared/domain/job.js';
import { LabError, labErrorSchema } from '../../../shared/result.js';

/** On-demand work on a trained model (the latent explorer's slider path). */
export const modelQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('decode'), latents: z.instanceof(Float32Array), count: z.number().int().min(1) }),
  z.object({ kind: z.literal('encode'), indices: z.instanceof(Int32Array) }),
  /** Reconstructions of samples of the run's dataset or, for out-of-distribution anomalies, of another dataset of the same shape. */
  z.object({ kind: z.literal('reconstruct'), indices: z.instanceof(Int32Array), datasetId: z.string().optional() }),
  z.object({ kind: z.literal('sample'), count: z.number().int().min(1), seed: z.number().int(), from: z.enum(['prior', 'fitted']) }),
  /** The run's encoder and decoder as ONNX files, with a README of their names and shapes. */
  z.object({ kind: z.literal('onnx') }),
]);
export type ModelQuery = z.infer<typeof modelQuerySchema>;

export const modelAnswerSchema = z.object({
  /** Decoded or sampled images: count × height × width × channels, model-input scale. */
  images: z.custom<Float32Array<ArrayBuffer>>((v) => v instanceof Float32Array).optional(),
  /** The inputs that were reconstructed: count × height × width × channels, model-input scale. */
  originals: z.custom<Float32Array<ArrayBuffer>>((v) => v instanceof Float32Array).optional(),
  /** Codes: count × latent size. */
  codes: z.custom<Float32Array<ArrayBuffer>>((v) => v instanceof Float32Array).optional(),
  /** Exported files (an `onnx` query): each file's name and bytes. */
  files: z.array(z.object({ name: z.string(), bytes: z.custom<Uint8Array<ArrayBuffer>>((v) => v instanceof Uint8Array) })).optional(),
  /** The ONNX opset the exported models are written against. */
  opset: z.number().int().optional(),
  shape: z.array(z.number().int()),
  latentSize: z.number().int(),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

/** Messages from the lab to an engine process (child_process.fork / utilityProcess). */
export const toEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), workspace: z.string(), runId: z.string() }),
  /** An analysis job: the engine reads its spec from the job's folder and writes its result there. */
  z.object({ type: z.literal('analyze'), workspace: z.string(), jobId: z.string() }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('serve'), workspace: z.string(), runId: z.string() }),
  z.object({ type: z.literal('query'), requestId: z.number().int(), query: modelQuerySchema }),
]);
export type ToEngine = z.infer<typeof toEngineSchema>;

/** Messages from an engine process to the lab. */
export const fromEngineSchema = z.union([
  /** The engine listens; it loads its compute backend on the first request, sized for that work. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('progress'), progress: runProgressSchema, rssBytes: z.number() }),
  z.object({ type: z.literal('state'), runId: z.string(), state: runStateSchema }),
  z.object({ type: z.literal('done'), runId: z.string(), state: runStateSchema }),
  z.object({ type: z.literal('jobProgress'), jobId: z.string(), progress: jobProgressSchema }),
  /** An analysis finished: its result is in the job's folder, or it failed with a coded error. */
  z.object({ type: z.literal('jobDone'), jobId: z.string(), error: labErrorSchema.nullable() }),
  z.object({ type: z.literal('answer'), requestId: z.number().int(), ok: z.literal(true), answer: modelAnswerSchema }),
  z.object({ type: z.literal('answer'), requestId: z.number().int(), ok: z.literal(false), error: labErrorSchema }),
]);
export type FromEngine = z.infer<typeof fromEngineSchema>;

/**
 * Checks a message that crossed the process boundary. Both ends check what they receive: a
 * malformed message is a bug on the other side, reported with what was wrong, never acted on.
 */
function checked<T>(schema: z.ZodType<T>, side: string, message: unknown): T {
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const type = (message as { type?: unknown } | null)?.type;
  throw new LabError('internal', `${side} sent a malformed '${String(type)}' message: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}`);
}

export const checkToEngine = (message: unknown): ToEngine => checked(toEngineSchema, 'the lab', message);
export const checkFromEngine = (message: unknown): FromEngine => checked(fromEngineSchema, 'the engine', message);
