import { z } from 'zod';
import { architectureIds, architectures } from './architectures.js';
import type { DataTraits } from './definition.js';
import { objectiveIds, objectives } from './objectives.js';
import { resolveParams, type ParamValues } from './params.js';
import { runFieldLabels } from './runFields.js';
import { taskIds, tasks } from './tasks.js';
import { issueSentences } from '../contract/userMessages.js';

export type { DataTraits } from './definition.js';

export const runConfigSchema = z.object({
  datasetId: z.string().min(1),
  /**
   * Train (and validate, and test) on these classes only: what is normal to an anomaly
   * detector. Absent: every sample. The other classes are never seen until an analysis scores them.
   */
  normalClasses: z.array(z.number().int().min(0)).min(1).max(1000).optional(),
  name: z.string().trim().min(1).max(120).optional(),
  /** What the model is given and must give back: the sample itself, its colour from its luminance, or its removed region. */
  task: z.enum(taskIds).default('reconstruct'),
  taskParams: z.record(z.string(), z.unknown()).default({}),
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
  taskParams: ParamValues;
  architectureParams: ParamValues;
  objectiveParams: ParamValues;
}

/**
 * Checks a configuration against the catalogue and the data, and refuses combinations
 * that cannot make sense, each with a message saying why.
 */
export function validateRunConfig(input: RunConfigInput, data: DataTraits): { ok: true; config: ResolvedRunConfig } | { ok: false; errors: string[] } {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issueSentences(parsed.error, input, runFieldLabels, 'The configuration') };
  const config = parsed.data;
  const errors: string[] = [];
  const arch = resolveParams(architectures[config.architecture].params, config.architectureParams, `architecture '${config.architecture}'`);
  const objective = resolveParams(objectives[config.objective].params, config.objectiveParams, `objective '${config.objective}'`);
  const task = resolveParams(tasks[config.task].params, config.taskParams, `task '${config.task}'`);
  for (const resolved of [task, arch, objective]) if ('error' in resolved) errors.push(resolved.error);
  if ('error' in arch || 'error' in objective || 'error' in task) return { ok: false, errors };
  const taskProblems = tasks[config.task].validate(task.values, data);
  if (taskProblems.length > 0) return { ok: false, errors: taskProblems };
  errors.push(...combinationProblems(config, arch.values, objective.values, modelData(data, tasks[config.task].channels(task.values, data.shape[2]).input)));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: { ...config, taskParams: task.values, architectureParams: arch.values, objectiveParams: objective.values } };
}

/** The data as the model sees it: a task may give it more or fewer channels than the samples have (a luminance, a mask). */
function modelData(data: DataTraits, inputChannels: number): DataTraits {
  return inputChannels === data.shape[2] ? data : { ...data, shape: [data.shape[0], data.shape[1], inputChannels] };
}

/** Each family's own checks, and the one the reconstruction loss makes of the data. */
function combinationProblems(config: RunConfig, archParams: ParamValues, objectiveParams: ParamValues, data: DataTraits): string[] {
  const architecture = architectures[config.architecture];
  const run = { latentDim: config.latentDim, reconstructionLoss: config.reconstructionLoss, task: config.task, objective: config.objective };
  const problems = architecture.validate({ ...run, params: archParams }, data);
  problems.push(...normalClassProblems(config.normalClasses, data));
  if (config.reconstructionLoss === 'bce' && !data.unitRange) {
    problems.push('binary cross-entropy needs inputs in [0, 1]; this dataset is scaled outside that range — use mse, or re-import with unit or min–max scaling');
  }
  problems.push(...objectives[config.objective].validate({ ...run, params: objectiveParams, code: architecture.code(archParams) }, data));
  return problems;
}

/** The normal classes must be classes of the dataset, each once, and leave it samples to train on. */
export function normalClassProblems(normalClasses: readonly number[] | undefined, data: DataTraits): string[] {
  if (normalClasses === undefined) return [];
  const names = data.classNames;
  if (names === undefined) return [];
  if (names.length === 0) return ['Normal classes need a labelled dataset; this one has no classes — train on all of it, and take anomalies from another dataset'];
  const outside = normalClasses.filter((c) => c >= names.length);
  if (outside.length > 0) return [`Normal classes: ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not a class of this dataset (it has ${names.length}: 0–${names.length - 1})`];
  const repeated = normalClasses.find((c, i) => normalClasses.indexOf(c) !== i);
  if (repeated !== undefined) return [`Normal classes: '${names[repeated] ?? repeated}' is given twice`];
  const counts = data.classCounts;
  if (counts && normalClasses.every((c) => (counts[c] ?? 0) === 0)) return [`Normal classes: ${normalClasses.map((c) => `'${names[c] ?? c}'`).join(', ')} ${normalClasses.length === 1 ? 'has' : 'have'} no samples in this dataset`];
  return [];
}
