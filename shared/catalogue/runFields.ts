import type { RunConfig } from './runConfig.js';

/** The parts of a run's configuration, in the order a reader goes through them. */
export const runConfigGroups = ['data', 'architecture', 'objective', 'optimisation'] as const;
export type RunConfigGroup = (typeof runConfigGroups)[number];

export const runConfigGroupLabels: Record<RunConfigGroup, string> = {
  data: 'Data',
  architecture: 'Architecture',
  objective: 'Objective',
  optimisation: 'Optimisation',
};

export interface RunFieldInfo {
  /** As the new-run form labels the field. */
  label: string;
  group: RunConfigGroup;
  /** What a number of it counts, where that is not obvious from the label. */
  unit?: string;
  /** How each option reads, for fields that are a choice. */
  options?: Readonly<Record<string, string>>;
}

/**
 * The run-level fields of a configuration (the families' own hyperparameters are described
 * by the architectures and objectives): one place for the form, the run page's table and
 * the messages that name a field.
 */
export const runFields = {
  datasetId: { label: 'Dataset', group: 'data' },
  normalClasses: { label: 'Normal classes', group: 'data' },
  name: { label: 'Name', group: 'data' },
  task: { label: 'Task', group: 'data', options: { reconstruct: 'reconstruct the input', colorize: 'colorize (luminance → colour)', inpaint: 'inpaint (fill a removed region)' } },
  architecture: { label: 'Architecture', group: 'architecture' },
  latentDim: { label: 'Latent size d', group: 'architecture', unit: 'units' },
  objective: { label: 'Objective', group: 'objective' },
  reconstructionLoss: {
    label: 'Reconstruction loss',
    group: 'objective',
    options: { bce: 'binary cross-entropy (Bernoulli decoder)', mse: 'squared error (Gaussian decoder)' },
  },
  optimizer: { label: 'Optimizer', group: 'optimisation', options: { adam: 'Adam', sgd: 'SGD with momentum', rmsprop: 'RMSprop' } },
  learningRate: { label: 'Learning rate', group: 'optimisation' },
  momentum: { label: 'Momentum', group: 'optimisation' },
  batchSize: { label: 'Batch size', group: 'optimisation', unit: 'samples' },
  epochs: { label: 'Epochs', group: 'optimisation' },
  earlyStoppingPatience: { label: 'Early-stopping patience', group: 'optimisation', unit: 'epochs' },
  seed: { label: 'Seed', group: 'optimisation' },
} as const satisfies Record<Exclude<keyof RunConfig, 'architectureParams' | 'objectiveParams' | 'taskParams'>, RunFieldInfo>;

export type RunField = keyof typeof runFields;

/** Each run-level field's label, by its name in the configuration. */
export const runFieldLabels: Record<string, string> = Object.fromEntries(Object.entries(runFields).map(([field, info]) => [field, info.label]));
