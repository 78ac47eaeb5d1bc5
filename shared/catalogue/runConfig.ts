import { z } from 'zod';
import { architectureIds, architectures, type ArchitectureId } from './architectures.js';
import { objectiveIds, objectives, type ObjectiveId } from './objectives.js';
import { resolveParams, type ParamValues } from './params.js';

export const runConfigSchema = z.object({
  datasetId: z.string().min(1),
  name: z.string().trim().min(1).max(120).optional(),
  architecture: z.enum(architectureIds),
  architectureParams: z.record(z.string(), z.unknown()).default({}),
  objective: z.enum(objectiveIds),
  objectiveParams: z.record(z.string(), z.unknown()).default({}),
  latentDim: z.number().int().min(1).max(4096).default(32),
  /** mse: Gaussian decoder with fixed variance; bce: Bernoulli decoder (inputs must lie in [0, 1]). */
  reconstructionLoss: z.enum(['mse', 'bce']).default('mse'),
  optimizer: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
  learningRate: z.number().positive().max(10).default(1e-3),
  /** SGD's momentum, RMSprop's momentum. */
  momentum: z.number().min(0).max(0.999).default(0.9),
  batchSize: z.number().int().min(1).max(8192).default(128),
  epochs: z.number().int().min(1).max(10_000).default(10),
  /** Epochs without a better validation loss before stopping; 0 turns early stopping off. */
  earlyStoppingPatience: z.number().int().min(0).max(1000).default(0),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
});

export type RunConfigInput = z.input<typeof runConfigSchema>;
export type RunConfig = z.output<typeof runConfigSchema>;

export interface ResolvedRunConfig extends RunConfig {
  architectureParams: ParamValues;
  objectiveParams: ParamValues;
}

/** What validation needs to know of the dataset. */
export interface DataTraits {
  shape: readonly [number, number, number];
  kind: 'image' | 'vector';
  /** Whether model inputs lie in [0, 1] after the dataset's scaling. */
  unitRange: boolean;
}

/**
 * Checks a configuration against the catalogue and the data, and refuses combinations
 * that cannot make sense, each with a message saying why.
 */
export function validateRunConfig(input: RunConfigInput, data: DataTraits): { ok: true; config: ResolvedRunConfig } | { ok: false; errors: string[] } {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`) };
  const config = parsed.data;
  const errors: string[] = [];
  const arch = resolveParams(architectures[config.architecture].params, config.architectureParams, `architecture '${config.architecture}'`);
  const objective = resolveParams(objectives[config.objective].params, config.objectiveParams, `objective '${config.objective}'`);
  if ('error' in arch) errors.push(arch.error);
  if ('error' in objective) errors.push(objective.error);
  if ('error' in arch || 'error' in objective) return { ok: false, errors };
  errors.push(...combinationProblems(config.architecture, arch.values, config.objective, objective.values, config, data));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: { ...config, architectureParams: arch.values, objectiveParams: objective.values } };
}

function combinationProblems(architecture: ArchitectureId, archParams: ParamValues, objective: ObjectiveId, objectiveParams: ParamValues, config: RunConfig, data: DataTraits): string[] {
  const problems: string[] = [];
  const [height, width] = data.shape;
  if (architectures[architecture].needs === 'image' && data.kind !== 'image') {
    problems.push(`a convolutional autoencoder needs images; this dataset's samples are vectors of ${data.shape[1]} features — use the dense or linear architecture`);
  }
  if (architecture === 'conv' && data.kind === 'image') {
    const stages = (archParams.channels as readonly number[]).length;
    const factor = 2 ** stages;
    if (height % factor !== 0 || width % factor !== 0) {
      problems.push(`${stages} down-sampling stages need height and width divisible by ${factor}; these images are ${width}×${height} — use fewer channels entries or re-import at a size divisible by ${factor}`);
    }
  }
  if (config.reconstructionLoss === 'bce' && !data.unitRange) {
    problems.push('binary cross-entropy needs inputs in [0, 1]; this dataset is scaled outside that range — use mse, or re-import with unit or min–max scaling');
  }
  if (objective === 'sparse' && objectiveParams.penalty === 'kl') {
    const sigmoidCode = architecture === 'dense' && archParams.codeActivation === 'sigmoid';
    if (!sigmoidCode) {
      problems.push("the KL sparsity penalty compares each code unit's mean activation with ρ, so the code must be a sigmoid: use the dense architecture with code activation 'sigmoid', or the L1 penalty");
    }
  }
  if (objective === 'variational' && architecture === 'conv' && archParams.bottleneck === 'map') {
    problems.push("the variational objective needs μ and log σ² heads on a vector code; set the convolutional code to 'vector'");
  }
  if (architecture === 'linear' && config.reconstructionLoss === 'bce') {
    problems.push('a linear autoencoder has no output non-linearity, so its reconstructions are not probabilities for binary cross-entropy; use mse (the loss under which it matches PCA)');
  }
  return problems;
}
