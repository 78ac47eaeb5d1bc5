import { parseArgs } from 'node:util';

export interface CliArgs {
  command: string | undefined;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** Global flags plus each command's own; unknown flags are an error, not silently ignored. */
export function parseCli(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      workspace: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      name: { type: 'string' },
      color: { type: 'string' },
      size: { type: 'string' },
      scaling: { type: 'string' },
      'validation-fraction': { type: 'string' },
      'test-fraction': { type: 'string' },
      seed: { type: 'string' },
      'label-column': { type: 'string' },
      patches: { type: 'boolean', default: false },
      'patch-stride': { type: 'string' },
      'patches-per-image': { type: 'string' },
      port: { type: 'string' },
      dataset: { type: 'string' },
      arch: { type: 'string' },
      task: { type: 'string' },
      objective: { type: 'string' },
      latent: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      loss: { type: 'string' },
      patience: { type: 'string' },
      param: { type: 'string', multiple: true },
      preset: { type: 'string' },
      k: { type: 'string' },
      levels: { type: 'string' },
      corruption: { type: 'string' },
      samples: { type: 'string' },
      'normal-classes': { type: 'string' },
      'one-class': { type: 'string' },
      anomalies: { type: 'string' },
      'no-pca': { type: 'boolean', default: false },
      'mc-samples': { type: 'string' },
      sweep: { type: 'string' },
      open: { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
      run: { type: 'string', multiple: true },
      labels: { type: 'string' },
      draws: { type: 'string' },
      modes: { type: 'string' },
      baselines: { type: 'string' },
      head: { type: 'string' },
      hidden: { type: 'string' },
      'no-knn': { type: 'boolean', default: false },
      'encoder-lr-factor': { type: 'string' },
      'max-epochs': { type: 'string' },
      'max-steps': { type: 'string' },
      'no-keep': { type: 'boolean', default: false },
      line: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      onnx: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  return { command, positionals: rest, values };
}
