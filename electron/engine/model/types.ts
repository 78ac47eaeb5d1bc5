import type * as TF from '@tensorflow/tfjs';
import type { ArchitectureId } from '../../../shared/catalogue/architectures.js';
import type { ObjectiveId } from '../../../shared/catalogue/objectives.js';
import type { ParamValues } from '../../../shared/catalogue/params.js';
import type { CodeTerm } from '../graph/layerStep.js';
import type { Tfjs } from '../backend.js';

export interface ArchitectureContext {
  tf: Tfjs;
  /** Sample shape [height, width, channels]. */
  sampleShape: readonly [number, number, number];
  latentDim: number;
  /** Units the encoder's last layer produces: latentDim, or 2·latentDim for μ and log σ². */
  codeUnits: number;
  /** sigmoid when reconstructions are probabilities (inputs in [0, 1]), else linear. */
  outputActivation: 'sigmoid' | 'linear';
  params: ParamValues;
}

export interface Autoencoder {
  encoder: TF.LayersModel;
  decoder: TF.LayersModel;
  /** The layout the encoder takes: flat [features] or [height, width, channels]. */
  inputShape: number[];
  /** The code's shape without the batch axis (the latent a decoder takes). */
  latentShape: number[];
  /** For the closed-form contractive penalty: the one sigmoid layer h = σ(Wx + b), where that is the whole encoder. */
  singleSigmoidLayer?: { kernel: TF.LayerVariable };
  /** For the linear autoencoder: the encoder's weight matrix (its Jacobian). */
  linearKernel?: TF.LayerVariable;
}

export interface ArchitectureModule {
  build(context: ArchitectureContext): Autoencoder;
}

export interface LossParts {
  total: TF.Scalar;
  reconstruction: TF.Scalar;
  components: Record<string, TF.Scalar>;
}

export interface ObjectiveContext {
  tf: Tfjs;
  model: Autoencoder;
  /** Clean inputs, in the encoder's input layout. */
  x: TF.Tensor;
  params: ParamValues;
  latentDim: number;
  training: boolean;
  /** Per-sample reconstruction loss (summed over features), averaged over the batch. */
  reconstruction: (reconstructed: TF.Tensor, target: TF.Tensor) => TF.Scalar;
  /** A fresh seed for each random draw, from the run's seeded stream. */
  nextSeed: () => number;
}

export interface ObjectiveModule {
  codeUnits(latentDim: number): number;
  loss(context: ObjectiveContext): LossParts;
  /** The code used for analyses (μ for a VAE). */
  encode(tf: Tfjs, model: Autoencoder, x: TF.Tensor, latentDim: number): TF.Tensor;
  /**
   * How a compiled training step (graph/compiledStep.ts) computes this objective, where one
   * can: the term it adds at the code, and per step the encoder's input (x, or x corrupted)
   * and a VAE's ε, drawn from the same seeds as the eager loss draws them.
   */
  compiled?: {
    codeTerm(params: ParamValues, latentDim: number): CodeTerm;
    inputs(context: ObjectiveContext): { input: TF.Tensor; noise?: TF.Tensor };
  };
}

export type ArchitectureRegistry = Record<ArchitectureId, ArchitectureModule>;
export type ObjectiveRegistry = Record<ObjectiveId, ObjectiveModule>;
