import type * as TF from '@tensorflow/tfjs';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import type { ModelAnswer, ModelQuery } from '../../format/runs/engineProtocol.js';
import type { Tfjs } from '../backend.js';
import { objectiveModules } from '../model/objectives/objectives.js';
import type { Autoencoder } from '../model/types.js';
import { decodingUnavailable, hasSkips, modelOutput } from '../model/modelParts.js';
import { engineTaskOf } from '../tasks/tasks.js';
import { evaluationSeeds, type EngineTask } from '../tasks/engineTask.js';
import type { StoredRunConfig } from '../../format/runs/runFormats.js';
import { disposeBatch, taskBatch, taskInput, type TrainingData } from '../training/trainingData.js';
import { loadCheckpointModels } from './checkpoint.js';
import { onnxOpset } from '../export/onnx/convert.js';
import { onnxFiles, runDescription, type RunDescription } from '../export/onnx/exportRun.js';
import { LabError } from '../../../shared/result.js';
import { restrictToClasses } from '../training/classSubset.js';
import { loadTrainingData } from './loadTrainingData.js';

// Where the analyses have always found it.
export { loadCheckpointModels };

/**
 * A trained run kept loaded for on-demand work: decode latents (a slider's every move),
 * encode dataset samples, sample from the prior or from a Gaussian fitted to the codes.
 */
export class ModelService {
  private constructor(
    private readonly tf: Tfjs,
    private readonly model: Autoencoder,
    private readonly objective: (typeof objectiveModules)[keyof typeof objectiveModules],
    private readonly latentDim: number,
    private readonly data: TrainingData,
    private readonly dataset: TrainingData,
    private readonly imageShape: number[],
    private readonly workspace: string,
    private readonly datasetId: string,
    /** What an ONNX export says of the run: its name and checkpoint, its inputs' scaling, a VAE's heads. */
    private readonly description: RunDescription,
    private readonly config: StoredRunConfig,
    /** What the run's model is given and gives back. */
    readonly task: EngineTask,
  ) {}

  /** Another dataset a reconstruct query named (out-of-distribution anomalies), kept for the next one. */
  private other: { datasetId: string; data: Promise<TrainingData> } | undefined;

  static async load(tf: Tfjs, workspace: string, runId: string): Promise<ModelService> {
    const folder = new RunFolder(workspace, runId);
    const config = await folder.readConfig();
    const { encoder, decoder, checkpoint } = await loadCheckpointModels(tf, folder);
    const { data, header } = await loadTrainingData(DatasetFolder.inWorkspace(workspace, config.datasetId).dataFile);
    const inputShape = (encoder.inputs[0]?.shape ?? []).slice(1) as number[];
    const skips = hasSkips(decoder);
    // A U-Net's code is its bottleneck map, the encoder's output; its decoder takes the input.
    const latentShape = ((skips ? encoder.outputs[0]?.shape : decoder.inputs[0]?.shape) ?? []).slice(1) as number[];
    const outputShape = (decoder.outputs[0]?.shape ?? []).slice(1) as number[];
    const model: Autoencoder = { encoder, decoder, inputShape, outputShape, latentShape, ...(skips ? { skips } : {}) };
    const task = engineTaskOf(config, header.shape[2]);
    return new ModelService(tf, model, objectiveModules[config.objective], config.latentDim, restrictToClasses(data, config.normalClasses), data, [...header.shape], workspace, config.datasetId, runDescription(config, runId, checkpoint, header.transform), config, task);
  }

  /** The dataset as the run trained on it: its normal classes only, where it has them. */
  get trainingData(): TrainingData {
    return this.data;
  }

  /** The run's whole dataset, every class in every split: what an anomaly analysis scores. */
  get datasetData(): TrainingData {
    return this.dataset;
  }

  /** g(f(x)) as the run's objective encodes (μ for a VAE): what a reconstruction is; a U-Net's whole model. */
  reconstruct(x: TF.Tensor): TF.Tensor {
    return modelOutput(this.tf, this.model, this.objective, x, this.latentDim);
  }

  /** Decoding a code alone: refused, with the reason, for a model whose decoder needs more than the code. */
  private checkDecodable(): void {
    const reason = decodingUnavailable(this.model);
    if (reason) throw new LabError('invalid-request', `Run '${this.config.name}': ${reason}`);
  }

  get inputShape(): number[] {
    return this.model.inputShape;
  }

  private get latentSize(): number {
    return this.model.latentShape.reduce((a, b) => a * b, 1);
  }

  async answer(query: ModelQuery): Promise<ModelAnswer> {
    const { tf } = this;
    switch (query.kind) {
      case 'decode': {
        this.checkDecodable();
        if (query.latents.length !== query.count * this.latentSize) throw new Error(`decode needs ${query.count} × ${this.latentSize} latent values, got ${query.latents.length}`);
        return this.images(tf.tidy(() => this.model.decoder.predict(tf.tensor(query.latents, [query.count, ...this.model.latentShape])) as TF.Tensor), query.count);
      }
      case 'encode': {
        const codes = tf.tidy(() => this.objective.encode(tf, this.model, taskInput(tf, this.dataset, query.indices, this.task, this.model), this.latentDim));
        const values = (await codes.data()) as Float32Array;
        codes.dispose();
        return { codes: Float32Array.from(values), shape: [query.indices.length, this.latentSize], latentSize: this.latentSize };
      }
      case 'reconstruct': {
        const data = query.datasetId === undefined ? this.dataset : await this.otherDataset(query.datasetId);
        const outside = query.indices.find((i) => i < 0 || i * this.imageShape.reduce((a, b) => a * b, 1) >= data.samples.length);
        if (outside !== undefined) throw new LabError('invalid-request', `sample ${outside} is not in dataset ${query.datasetId ?? 'of the run'}`);
        // The task's input for each sample (its hole drawn from its index, as the test metrics do); back come the targets and the outputs as images.
        const batch = taskBatch(tf, data, query.indices, this.task, this.model, evaluationSeeds(query.indices));
        let output: TF.Tensor | undefined;
        let values: Float32Array;
        try {
          output = this.reconstruct(batch.input);
          values = Float32Array.from(await output.data());
        } finally {
          tf.dispose(output ? [output] : []);
          disposeBatch(tf, batch);
        }
        const images = this.task.outputImages(values, batch.samples, batch.clean, data.shape);
        return { originals: Float32Array.from(batch.clean), images: Float32Array.from(images), shape: [query.indices.length, ...this.imageShape], latentSize: this.latentSize };
      }
      case 'sample': {
        this.checkDecodable();
        const latents = query.from === 'prior' ? tf.randomNormal([query.count, ...this.model.latentShape], 0, 1, 'float32', query.seed) : await this.fittedSamples(query.count, query.seed);
        const images = tf.tidy(() => this.model.decoder.predict(latents) as TF.Tensor);
        latents.dispose();
        return this.images(images, query.count);
      }
      case 'onnx': {
        if (this.model.skips) throw new LabError('invalid-request', `Run '${this.config.name}' is a U-Net: its skip connections join the encoder to the decoder, which the ONNX export of an encoder and a decoder does not cover`);
        const { encoder, decoder } = this.model;
        return { files: onnxFiles({ encoder, decoder, ...this.description }).files, opset: onnxOpset, shape: this.model.inputShape, latentSize: this.latentSize };
      }
    }
  }

  private async otherDataset(datasetId: string): Promise<TrainingData> {
    if (datasetId === this.datasetId) return this.dataset;
    if (this.other?.datasetId !== datasetId) {
      const data = loadTrainingData(DatasetFolder.inWorkspace(this.workspace, datasetId).dataFile).then(({ data, header }) => {
        if (header.shape.join('×') !== this.imageShape.join('×')) throw new LabError('invalid-option', `Dataset ${datasetId}'s samples are ${header.shape.join('×')}; the run's model takes ${this.imageShape.join('×')}`);
        return data;
      });
      const entry = { datasetId, data };
      this.other = entry;
      // A failed read is not kept: the next query reads again (the file may have been a moment from whole).
      data.catch(() => {
        if (this.other === entry) this.other = undefined;
      });
    }
    return this.other.data;
  }

  /** Latents from a diagonal Gaussian fitted to the training codes: how a plain autoencoder can be sampled at all. */
  private async fittedSamples(count: number, seed: number): Promise<TF.Tensor> {
    const { tf } = this;
    const indices = this.data.train.subarray(0, 2000);
    return tf.tidy(() => {
      const codes = tf.reshape(this.objective.encode(tf, this.model, taskInput(tf, this.data, indices, this.task, this.model), this.latentDim), [indices.length, -1]);
      const { mean, variance } = tf.moments(codes, 0);
      const draws = tf.add(mean, tf.mul(tf.sqrt(variance), tf.randomNormal([count, this.latentSize], 0, 1, 'float32', seed)));
      return tf.reshape(draws, [count, ...this.model.latentShape]);
    });
  }

  private async images(tensor: TF.Tensor, count: number): Promise<ModelAnswer> {
    const values = (await tensor.data()) as Float32Array;
    tensor.dispose();
    return { images: Float32Array.from(values), shape: [count, ...this.imageShape], latentSize: this.latentSize };
  }

  dispose(): void {
    this.model.encoder.dispose();
    this.model.decoder.dispose();
  }
}
