import type * as TF from '@tensorflow/tfjs';
import type { DataTraits, ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import { seededRandom } from '../../../shared/random.js';
import type { Tfjs } from '../backend.js';
import { architectureModules } from './architectures/index.js';
import { objectiveModules } from './objectives/objectives.js';
import { engineTaskOf } from '../tasks/tasks.js';
import type { EngineTask } from '../tasks/engineTask.js';
import { trainableVariables } from './modelParts.js';
import { reconstructionLoss } from './reconstruction.js';
import type { Autoencoder, ObjectiveModule } from './types.js';

export interface BuiltRun {
  model: Autoencoder;
  objective: ObjectiveModule;
  variables: TF.Variable[];
  reconstruction: (reconstructed: TF.Tensor, target: TF.Tensor) => TF.Scalar;
  /** What the model is given and must give back (the sample itself, its colour, its hole). */
  task: EngineTask;
}

/**
 * Re-initialises every weight from the run's seed (Glorot-uniform kernels, zero biases),
 * so that the same configuration starts from the same point on the same backend.
 */
export function initializeWeights(tf: Tfjs, variables: TF.Variable[], seed: number): void {
  const random = seededRandom(seed ^ 0x5eed);
  for (const variable of variables) {
    tf.tidy(() => {
      if (variable.shape.length === 1) return variable.assign(tf.zerosLike(variable));
      const receptive = variable.shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const fanIn = (variable.shape[variable.shape.length - 2] ?? 1) * receptive;
      const fanOut = (variable.shape[variable.shape.length - 1] ?? 1) * receptive;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      variable.assign(tf.randomUniform(variable.shape, -limit, limit, 'float32', Math.floor(random() * 2 ** 31)));
    });
  }
}

export function createAutoencoder(tf: Tfjs, config: ResolvedRunConfig, data: DataTraits): BuiltRun {
  const objective = objectiveModules[config.objective];
  const task = engineTaskOf(config, data.shape[2]);
  const model = architectureModules[config.architecture].build({
    tf,
    sampleShape: [data.shape[0], data.shape[1], task.channels.input],
    outputChannels: task.channels.output,
    latentDim: config.latentDim,
    codeUnits: objective.codeUnits(config.latentDim),
    outputActivation: data.unitRange ? 'sigmoid' : 'linear',
    params: config.architectureParams,
  });
  const variables = trainableVariables(model);
  initializeWeights(tf, variables, config.seed);
  return { model, objective, variables, reconstruction: reconstructionLoss(tf, config.reconstructionLoss), task };
}
