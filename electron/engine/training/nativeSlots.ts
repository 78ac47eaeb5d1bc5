import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import type { UpdateRule } from '../graph/updates.js';

/** The parts of tfjs-node's backend that run a raw TensorFlow op. */
interface NodeBackend {
  binding: { TF_ATTR_STRING: number; TF_ATTR_TYPE: number; TF_ATTR_SHAPE: number; TF_ATTR_BOOL: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: unknown[], inputs: TF.Tensor[]): TF.Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: TF.Tensor[], outputs: number): TF.Tensor[];
}

let instances = 0;

/**
 * An optimizer's parameters and slots (Adam's moments, momentum's accumulator…) as TensorFlow
 * resource variables, one per model variable and slot, updated in place by TensorFlow's own
 * fused kernel: one pass over memory per variable, where the same arithmetic as separate ops
 * reads and writes each tensor about ten times. Native backend only. The model's own variables
 * are refreshed from these by `publish`: after each eager update, and once an epoch when a
 * compiled step (graph/layerStep.ts) does the updating. Slot values are exchanged flat, one
 * vector per slot over all variables in order, as checkpoints store them.
 */
export class NativeSlots {
  private readonly backend: NodeBackend;
  private readonly parameters: TF.Tensor[];
  /** slots[s][i]: slot s of variable i. */
  private readonly slots: TF.Tensor[][];
  /** The tensors the model's variables held after our last write: anything else means they were set from outside. */
  private written: object[] = [];
  /** Updates change only the resource variables; the model's variables catch up in `publish`. */
  private stale = false;
  /** The rule's kernel attributes in the binding's form, made once. */
  private readonly kernelAttrs: unknown[];

  static available(tf: Tfjs): boolean {
    return tf.getBackend() === 'tensorflow';
  }

  constructor(
    private readonly tf: Tfjs,
    private readonly variables: TF.Variable[],
    private readonly sizes: number[],
    readonly rule: UpdateRule,
  ) {
    this.backend = tf.backend() as unknown as NodeBackend;
    const { binding } = this.backend;
    this.kernelAttrs = Object.entries(rule.attrs).map(([name, attr]) =>
      'type' in attr ? { name, type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT } : { name, type: binding.TF_ATTR_BOOL, value: 'b' in attr ? attr.b : false },
    );
    const id = `aelab_slots_${process.pid}_${(instances += 1)}`;
    this.parameters = variables.map((v, i) => this.resource(`${id}_parameter${i}`, v.shape));
    this.slots = Array.from({ length: rule.slots }, (_, s) => variables.map((v, i) => this.resource(`${id}_slot${s}_${i}`, v.shape)));
    tf.tidy(() => this.slots.forEach((slot) => slot.forEach((handle, i) => this.write(handle, tf.zeros(variables[i]?.shape ?? [])))));
    this.syncParameters();
  }

  /** One eager update, a gradient per variable; `scalars` in the order of the rule's. */
  apply(gradients: TF.Tensor[], scalars: TF.Tensor[]): void {
    this.syncIfSetFromOutside();
    const byName = new Map(this.rule.scalars.map((name, i) => [name, scalars[i]]));
    this.parameters.forEach((parameter, i) => {
      const inputs = this.rule.inputs.map((input) => {
        const tensor = input === 'gradient' ? gradients[i] : input.startsWith('slot:') ? this.slots[Number(input.slice(5))]?.[i] : byName.get(input);
        if (!tensor) throw new Error(`${this.rule.op} has no value for its input ${input}`);
        return tensor;
      });
      this.backend.executeMultipleOutputs(this.rule.op, this.kernelAttrs, [parameter, ...inputs], 0);
    });
    this.stale = true;
    this.publish();
  }

  /**
   * Runs a compiled step function whose arguments end with the parameters (one per variable),
   * the slots (slot by slot, each one per variable) and the rule's scalars; returns its
   * outputs. The model's variables are refreshed by `publish`, not after every step.
   */
  execute(functionName: string, inputs: TF.Tensor[], outputs: number, scalars: TF.Tensor[]): TF.Tensor[] {
    this.syncIfSetFromOutside();
    this.stale = true;
    return this.backend.executeMultipleOutputs(functionName, [], [...inputs, ...this.parameters, ...this.slots.flat(), ...scalars], outputs);
  }

  /** The model's variables from the resource variables, where updates have changed them since. */
  publish(): void {
    if (!this.stale) return;
    this.tf.tidy(() => this.variables.forEach((variable, i) => variable.assign(this.read(this.parameters[i] as TF.Tensor))));
    this.written = this.variables.map((v) => v.dataId);
    this.stale = false;
  }

  /** Each slot as one flat vector over all variables, in order. */
  async slotValues(): Promise<Float32Array[]> {
    const { tf } = this;
    const values = this.slots.map((slot) => tf.tidy(() => tf.concat(slot.map((handle) => tf.reshape(this.read(handle), [-1])))));
    try {
      return (await Promise.all(values.map((v) => v.data()))) as Float32Array[];
    } finally {
      tf.dispose(values);
    }
  }

  setSlots(values: Float32Array[]): void {
    const { tf } = this;
    tf.tidy(() =>
      this.slots.forEach((slot, s) => {
        let at = 0;
        const flat = values[s] ?? new Float32Array(0);
        slot.forEach((handle, i) => {
          const size = this.sizes[i] ?? 0;
          this.write(handle, tf.tensor(flat.subarray(at, (at += size)), this.variables[i]?.shape));
        });
      }),
    );
    this.syncParameters();
  }

  dispose(): void {
    for (const handle of [...this.parameters, ...this.slots.flat()]) {
      this.backend.executeMultipleOutputs('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: this.backend.binding.TF_ATTR_BOOL, value: true }], [handle], 0);
      handle.dispose();
    }
  }

  private syncIfSetFromOutside(): void {
    if (this.variables.some((v, i) => v.dataId !== this.written[i])) this.syncParameters();
  }

  /** The resource variables from the model's variables: at the start, and after weights were loaded into them. */
  private syncParameters(): void {
    this.variables.forEach((variable, i) => this.write(this.parameters[i] as TF.Tensor, variable));
    this.written = this.variables.map((v) => v.dataId);
    this.stale = false;
  }

  private resource(name: string, shape: number[]): TF.Tensor {
    const { binding } = this.backend;
    return this.backend.executeSingleOutput(
      'VarHandleOp',
      [
        { name: 'container', type: binding.TF_ATTR_STRING, value: '' },
        { name: 'shared_name', type: binding.TF_ATTR_STRING, value: name },
        { name: 'dtype', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
        { name: 'shape', type: binding.TF_ATTR_SHAPE, value: shape },
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
