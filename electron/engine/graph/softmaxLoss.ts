import type { FunctionBuilder, Ref } from './functionDef.js';
import { T, sum0 } from './graphOps.js';

/**
 * A classifier's loss as graph ops on [batch, classes]: TensorFlow's fused softmax
 * cross-entropy of the logits against one-hot targets, which also gives each sample's
 * gradient in the logits (softmax − target); the mean over the batch and its gradient.
 */
export function softmaxCrossEntropyOps(g: FunctionBuilder, logits: Ref, oneHot: Ref, inverseBatch: Ref): { loss: Ref; dy: Ref } {
  const [perSample, backprop] = g.ops('SoftmaxCrossEntropyWithLogits', [logits, oneHot], T) as [Ref, Ref];
  return { loss: g.op('Mul', [sum0(g, perSample), inverseBatch], T), dy: g.op('Mul', [backprop, inverseBatch], T) };
}
