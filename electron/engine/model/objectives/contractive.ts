import type * as TF from '@tensorflow/tfjs';
import type { ContractiveParams } from '../../../../shared/catalogue/objectives/contractive.js';
import type { ObjectiveModule } from '../types.js';
import { jacobianPenalty } from './jacobian.js';
import { encodeCode, reconstructionOnly } from './reconstructionTerm.js';

/** No compiled step: its penalty differentiates a Jacobian, which the step compiler does not write. */
export const contractive: ObjectiveModule<ContractiveParams> = {
  codeUnits: (d) => d,
  encode: encodeCode,
  regularised: true,
  loss(context) {
    const { tf, model, x, params } = context;
    const { loss } = reconstructionOnly(context);
    const penalty = jacobianPenalty(tf, model, x);
    return { total: tf.add(loss, tf.mul(params.weight, penalty)) as TF.Scalar, reconstruction: loss, components: { contractive: penalty } };
  },
};
