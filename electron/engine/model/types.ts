import type * as TF from '@tensorflow/tfjs';
import type { ArchitectureId } from '../../../shared/catalogue/architectures.js';
import type { ObjectiveId } from '../../../shared/catalogue/objectives.js';
import type { ParamValues } from '../../../shared/catalogue/params.js';
import type { CodeTerm } from '../graph/codeTerm.js';
import type { Tfjs } from '../backend.js';

export type SampleShape = readonly [number, number, number];

export interface ArchitectureContext<P = ParamValues> {
  tf: Tfjs;
  /** The model's input per sample [height, width, channels]: the dataset's shape with the task's input channels (a luminance: 1; an image and its mask: channels + 1). */
  sampleShape: SampleShape;
  /** Channels of what the decoder gives back: the task's target (the image's for reconstruction; RGB or a*b* for colorization). */
  outputChannels: number;
  latentDim: number;
  /** Units the encoder's last layer produces: latentDim, or 2·latentDim for μ and log σ². */
  codeUnits: number;
  /** sigmoid when reconstructions are probabilities (inputs in [0, 1]), else linear. */
  outputActivation: 'sigmoid' | 'linear';
  params: P;
}

export interface Autoencoder {
  encoder: TF.LayersModel;
  decoder: TF.LayersModel;
  /** The layout the encoder takes: flat [features] or [height, width, channels]. */
  inputShape: number[];
  /** The layout the decoder gives back: flat [features] or [height, width, output channels]; absent: the input's (`outputShapeOf`). */
  outputShape?: number[];
  /**
   * Skip connections carry the encoder's maps around the code (U-Net): the decoder is then the
   * whole model, input to output, sharing the encoder's layers, and a code alone cannot be
   * decoded. The encoder is the down path, input to the bottleneck.
   */
  skips?: boolean;
  /** The code's shape without the batch axis (the latent a decoder takes). */
  latentShape: number[];
  /** The interval every code value lies in, where the code's activation bounds it (a sigmoid code: [0, 1]). */
  codeRange?: readonly [number, number];
  /** For the closed-form contractive penalty: the one sigmoid layer h = σ(Wx + b), where that is the whole encoder. */
  singleSigmoidLayer?: { kernel: TF.LayerVariable };
  /** For the linear autoencoder: the encoder's weight matrix (its Jacobian). */
  linearKernel?: TF.LayerVariable;
}

/** An architecture's model: how it builds its encoder and decoder, and what its step costs. */
export interface ArchitectureModule<P = ParamValues> {
  build(context: ArchitectureContext<P>): Autoencoder;
  /** The largest per-sample activation of the model, in floats: what one element-wise op of its step touches. */
  largestActivation(params: P, latentDim: number, shape: SampleShape): number;
}

export interface LossParts {
  total: TF.Scalar;
  reconstruction: TF.Scalar;
  components: Record<string, TF.Scalar>;
}

export interface ObjectiveContext<P = ParamValues> {
  tf: Tfjs;
  model: Autoencoder;
  /** Clean inputs, in the encoder's input layout (the task's input: a luminance, a holed image). */
  x: TF.Tensor;
  /** What the decoder should give back, in its output layout: x itself for reconstruction. */
  target: TF.Tensor;
  params: P;
  latentDim: number;
  training: boolean;
  /** Per-sample reconstruction loss (summed over features, weighted where the task weighs them), averaged over the batch. */
  reconstruction: (reconstructed: TF.Tensor, target: TF.Tensor) => TF.Scalar;
  /** A fresh seed for each random draw, from the run's seeded stream. */
  nextSeed: () => number;
}

/** An objective's loss, and what evaluation should know of it. */
export interface ObjectiveModule<P = ParamValues> {
  codeUnits(latentDim: number): number;
  loss(context: ObjectiveContext<P>): LossParts;
  /** The code used for analyses (μ for a VAE). */
  encode(tf: Tfjs, model: Autoencoder, x: TF.Tensor, latentDim: number): TF.Tensor;
  /** The loss has a term that keeps a code as wide as the input from learning the identity; only plain reconstruction has none. */
  regularised: boolean;
  /** A VAE's posterior q(z|x) = N(μ, σ²): the encoder's μ and log σ² heads. Absent where the encoder is deterministic. */
  posterior?(tf: Tfjs, model: Autoencoder, x: TF.Tensor, latentDim: number): [TF.Tensor, TF.Tensor];
  /** A penalty on code activity: the mean activation ρ it pulls each unit toward (the KL penalty's), or null (L1). */
  sparsity?: { target(params: P): number | null };
  /**
   * How a compiled training step (graph/compiledStep.ts) computes this objective, where one
   * can: the term it adds at the code, and per step the encoder's input (x, or x corrupted)
   * and a VAE's ε, drawn from the same seeds as the eager loss draws them.
   */
  compiled?: {
    codeTerm(params: P, latentDim: number): CodeTerm;
    inputs(context: ObjectiveContext<P>): { input: TF.Tensor; noise?: TF.Tensor };
  };
}

export type ArchitectureRegistry = Record<ArchitectureId, ArchitectureModule>;
export type ObjectiveRegistry = Record<ObjectiveId, ObjectiveModule>;
