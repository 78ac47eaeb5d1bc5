import type * as TF from '@tensorflow/tfjs';
import type { SparseParams } from '../../../../shared/catalogue/objectives/sparse.js';
import type { Tfjs } from '../../backend.js';
import type { CodeTerm } from '../../graph/codeTerm.js';
import type { FunctionBuilder, Ref } from '../../graph/functionDef.js';
import { T, asFloat, mean0, scaled, sum1 } from '../../graph/graphOps.js';
import type { ObjectiveModule } from '../types.js';
import { klSparsity, klSparsityOps } from './klSparsity.js';
import { encodeCode, reconstructionOnly } from './reconstructionTerm.js';

/** ‖h‖₁ per sample, averaged over the batch. */
export const l1Activity = (tf: Tfjs, code: TF.Tensor): TF.Scalar => tf.mean(tf.sum(tf.abs(code), 1)) as TF.Scalar;

/** The same L1 term as graph ops, and its gradient per element before the 1/batch: tfjs's |x| gradient is 1 where x > 0, else −1. */
export function l1ActivityOps(g: FunctionBuilder, code: Ref): { penalty: Ref; slope: Ref } {
  const sign = g.op('Sub', [g.op('Mul', [asFloat(g, g.op('Greater', [code, g.constant([0])], T)), g.constant([2])], T), g.constant([1])], T);
  return { penalty: mean0(g, sum1(g, g.op('Abs', [code], T))), slope: sign };
}

function sparsityTerm(params: SparseParams): CodeTerm {
  const { weight } = params;
  return {
    takesNoise: false,
    penalised: true,
    emit(g, code, { inverseBatch }) {
      // The KL slope is per unit (ρ̂ is a batch mean) and broadcasts over the samples; L1's is per element.
      const { penalty, slope } = params.penalty === 'kl' ? klSparsityOps(g, code, params.target) : l1ActivityOps(g, code);
      return { decoderInput: code, penalty, weight, backward: (d) => g.op('AddV2', [d, scaled(g, slope, inverseBatch, weight)], T) };
    },
  };
}

export const sparse: ObjectiveModule<SparseParams> = {
  codeUnits: (d) => d,
  encode: encodeCode,
  regularised: true,
  sparsity: { target: (params) => (params.penalty === 'kl' ? params.target : null) },
  compiled: { codeTerm: sparsityTerm, inputs: ({ x }) => ({ input: x }) },
  loss(context) {
    const { tf, params } = context;
    const { code, loss } = reconstructionOnly(context);
    const penalty = params.penalty === 'kl' ? klSparsity(tf, code, params.target) : l1Activity(tf, code);
    return { total: tf.add(loss, tf.mul(params.weight, penalty)) as TF.Scalar, reconstruction: loss, components: { sparsity: penalty } };
  },
};
