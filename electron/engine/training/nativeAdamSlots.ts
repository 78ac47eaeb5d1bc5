import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';

/** The parts of tfjs-node's backend that run a raw TensorFlow op. */
interface NodeBackend {
  binding: { TF_ATTR_STRING: number; TF_ATTR_TYPE: number; TF_ATTR_SHAPE: number; TF_ATTR_BOOL: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: TF.Tensor[]): TF.Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: TF.Tensor[], outputs: number): TF.Tensor[];
}

let instances = 0;

/**
 * Adam's parameters and moments as three flat TensorFlow resource variables, updated in place by
 * TensorFlow's own ResourceApplyAdam kernel: one pass over memory for the whole update, where
 * the same arithmetic as separate ops reads and writes the 400,000-float vectors about ten times.
 * Native backend only; the model's own variables are refreshed from the flat parameters after
 * each step.
 */
export class NativeAdamSlots {
  private readonly backend: NodeBackend;
  private readonly parameters: TF.Tensor;
  private readonly firstMoment: TF.Tensor;
  private readonly secondMoment: TF.Tensor;
  private readonly constants: TF.Tensor[];
  /** The tensors the model's variables held after our last write: anything else means they were set from outside. */
  private written: object[] = [];
  /** Compiled steps update only the flat parameters; the model's variables catch up in `publish`. */
  private stale = false;

  static available(tf: Tfjs): boolean {
    return tf.getBackend() === 'tensorflow';
  }

  constructor(
    private readonly tf: Tfjs,
    private readonly variables: TF.Variable[],
    private readonly sizes: number[],
    settings: { learningRate: number; beta1: number; beta2: number },
  ) {
    this.backend = tf.backend() as unknown as NodeBackend;
    const total = sizes.reduce((a, b) => a + b, 0);
    const id = `aelab_adam_${process.pid}_${(instances += 1)}`;
    this.parameters = this.resource(`${id}_parameters`, total);
    this.firstMoment = this.resource(`${id}_m`, total);
    this.secondMoment = this.resource(`${id}_v`, total);
    this.constants = [tf.scalar(settings.learningRate), tf.scalar(settings.beta1), tf.scalar(settings.beta2)];
    tf.tidy(() => {
      this.write(this.firstMoment, tf.zeros([total]));
      this.write(this.secondMoment, tf.zeros([total]));
    });
    this.syncParameters();
  }

  /** One update with the flat gradient; `epsilon` already carries Adam's bias correction. */
  apply(gradient: TF.Tensor, beta1Power: number, beta2Power: number, epsilon: number): void {
    const { tf } = this;
    if (this.variables.some((v, i) => v.dataId !== this.written[i])) this.syncParameters();
    const [learningRate, beta1, beta2] = this.constants as [TF.Tensor, TF.Tensor, TF.Tensor];
    tf.tidy(() => {
      const { binding } = this.backend;
      this.backend.executeMultipleOutputs(
        'ResourceApplyAdam',
        [
          { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
          { name: 'use_locking', type: binding.TF_ATTR_BOOL, value: false },
          { name: 'use_nesterov', type: binding.TF_ATTR_BOOL, value: false },
        ],
        [this.parameters, this.firstMoment, this.secondMoment, tf.scalar(beta1Power), tf.scalar(beta2Power), learningRate, beta1, beta2, tf.scalar(epsilon), gradient],
        0,
      );
    });
    this.stale = true;
    this.publish();
  }

  /**
   * Runs a compiled step function (graph/layerStep.ts) whose arguments end with the flat
   * parameters, both moments and Adam's scalars; returns its outputs. The model's variables
   * are refreshed by `publish`, not after every step.
   */
  execute(functionName: string, inputs: TF.Tensor[], outputs: number, beta1Power: number, beta2Power: number, epsilon: number): TF.Tensor[] {
    const { tf } = this;
    if (this.variables.some((v, i) => v.dataId !== this.written[i])) this.syncParameters();
    const [learningRate, beta1, beta2] = this.constants as [TF.Tensor, TF.Tensor, TF.Tensor];
    const scalars = [tf.scalar(beta1Power), tf.scalar(beta2Power), tf.scalar(epsilon)] as [TF.Tensor, TF.Tensor, TF.Tensor];
    try {
      this.stale = true;
      return this.backend.executeMultipleOutputs(
        functionName,
        [],
        [...inputs, this.parameters, this.firstMoment, this.secondMoment, scalars[0], scalars[1], learningRate, beta1, beta2, scalars[2]],
        outputs,
      );
    } finally {
      tf.dispose(scalars);
    }
  }

  /** The model's variables from the flat parameters, where steps have changed them since. */
  publish(): void {
    if (!this.stale) return;
    const { tf } = this;
    tf.tidy(() => {
      const parts = tf.split(this.read(this.parameters), this.sizes);
      this.variables.forEach((variable, i) => variable.assign(tf.reshape(parts[i] as TF.Tensor, variable.shape)));
    });
    this.written = this.variables.map((v) => v.dataId);
    this.stale = false;
  }

  async moments(): Promise<[Float32Array, Float32Array]> {
    const m = this.read(this.firstMoment);
    const v = this.read(this.secondMoment);
    try {
      return [(await m.data()) as Float32Array, (await v.data()) as Float32Array];
    } finally {
      this.tf.dispose([m, v]);
    }
  }

  setMoments(first: Float32Array, second: Float32Array): void {
    this.tf.tidy(() => {
      this.write(this.firstMoment, this.tf.tensor1d(first));
      this.write(this.secondMoment, this.tf.tensor1d(second));
    });
    this.syncParameters();
  }

  dispose(): void {
    for (const handle of [this.parameters, this.firstMoment, this.secondMoment]) {
      this.backend.executeMultipleOutputs('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: this.backend.binding.TF_ATTR_BOOL, value: true }], [handle], 0);
      handle.dispose();
    }
    this.tf.dispose(this.constants);
  }

  /** The flat parameters from the model's variables: at the start, and after weights were loaded into them. */
  private syncParameters(): void {
    this.tf.tidy(() => this.write(this.parameters, this.tf.concat(this.variables.map((v) => this.tf.reshape(v, [-1])))));
    this.written = this.variables.map((v) => v.dataId);
    this.stale = false;
  }

  private resource(name: string, size: number): TF.Tensor {
    const { binding } = this.backend;
    return this.backend.executeSingleOutput(
      'VarHandleOp',
      [
        { name: 'container', type: binding.TF_ATTR_STRING, value: '' },
        { name: 'shared_name', type: binding.TF_ATTR_STRING, value: name },
        { name: 'dtype', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
        { name: 'shape', type: binding.TF_ATTR_SHAPE, value: [size] },
      ],
      [],
    );
  }

  private write(handle: TF.Tensor, value: TF.Tensor): void {
    const { binding } = this.backend;
    this.backend.executeMultipleOutputs(
      'AssignVariableOp',
      [
        { name: 'dtype', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
        { name: 'validate_shape', type: binding.TF_ATTR_BOOL, value: false },
      ],
      [handle, value],
      0,
    );
  }

  private read(handle: TF.Tensor): TF.Tensor {
    return this.backend.executeSingleOutput('ReadVariableOp', [{ name: 'dtype', type: this.backend.binding.TF_ATTR_TYPE, value: this.backend.binding.TF_FLOAT }], [handle]);
  }
}
