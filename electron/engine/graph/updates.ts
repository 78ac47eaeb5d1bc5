import type { Attr } from './functionDef.js';

/**
 * One of TensorFlow's fused optimizer kernels, as a compiled step applies it to the flat
 * parameters: how many slot variables it keeps (each the parameters' size), the scalar
 * arguments its caller passes, and the kernel's inputs after the variable in their order.
 */
export interface UpdateRule {
  op: string;
  slots: number;
  scalars: readonly string[];
  /** 'slot:i', one of `scalars`, or 'gradient'. */
  inputs: readonly string[];
  attrs: Record<string, Attr>;
}

const T: Record<string, Attr> = { T: { type: 'float' } };

/** Adam, with the bias corrections folded into β powers and ε by the caller, as tf.train.adam does. */
export const adamUpdate: UpdateRule = {
  op: 'ResourceApplyAdam',
  slots: 2,
  scalars: ['beta1_power', 'beta2_power', 'learning_rate', 'beta1', 'beta2', 'epsilon'],
  inputs: ['slot:0', 'slot:1', 'beta1_power', 'beta2_power', 'learning_rate', 'beta1', 'beta2', 'epsilon', 'gradient'],
  attrs: { ...T, use_locking: { b: false }, use_nesterov: { b: false } },
};

/** SGD with momentum: a ← μa + g; θ ← θ − ηa (tf.train.momentum's arithmetic). */
export const momentumUpdate: UpdateRule = {
  op: 'ResourceApplyMomentum',
  slots: 1,
  scalars: ['learning_rate', 'momentum'],
  inputs: ['slot:0', 'learning_rate', 'gradient', 'momentum'],
  attrs: { ...T, use_locking: { b: false }, use_nesterov: { b: false } },
};

/** RMSprop: s ← ρs + (1−ρ)g²; m ← μm + ηg/√(s+ε); θ ← θ − m (tf.train.rmsprop's arithmetic, not centred). */
export const rmspropUpdate: UpdateRule = {
  op: 'ResourceApplyRMSProp',
  slots: 2,
  scalars: ['learning_rate', 'rho', 'momentum', 'epsilon'],
  inputs: ['slot:0', 'slot:1', 'learning_rate', 'rho', 'momentum', 'epsilon', 'gradient'],
  attrs: { ...T, use_locking: { b: false } },
};
