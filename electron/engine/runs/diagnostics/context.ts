import type { ResolvedRunConfig } from '../../../../shared/catalogue/runConfig.js';
import type { DiagnosticId, Diagnostics } from '../../../../shared/domain/run.js';
import type { Tfjs } from '../../backend.js';
import type { BuiltRun } from '../../model/createAutoencoder.js';
import type { TrainingData } from '../../training/trainingData.js';

/** What evaluation's pass over the test split hands each diagnostic. */
export interface DiagnosticContext {
  tf: Tfjs;
  run: BuiltRun;
  config: ResolvedRunConfig;
  data: TrainingData;
  /** The test split (the validation split where a dataset has no test split). */
  test: Int32Array;
  /** The test split's codes, [test images × codeSize] (μ for a VAE). */
  codes: Float32Array;
  codeSize: number;
  /** Per-pixel mean squared reconstruction error over the test split. */
  testMse: number;
  /** The smallest and largest test input value, model scale. */
  inputRange: readonly [number, number];
  /** Each pixel's variance over the test images, averaged over pixels. */
  pixelVariance: number;
}

/** One diagnostic: when it applies (read from the run's modules, never from their names) and how it is computed. */
export interface DiagnosticModule<K extends DiagnosticId> {
  applies(context: DiagnosticContext): boolean;
  compute(context: DiagnosticContext): Promise<NonNullable<Diagnostics[K]>>;
}

/** Test images per batch of a diagnostic's pass. */
export const diagnosticBatch = 256;
