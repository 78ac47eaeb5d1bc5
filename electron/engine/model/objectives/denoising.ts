import type * as TF from '@tensorflow/tfjs';
import type { DenoisingParams } from '../../../../shared/catalogue/objectives/denoising.js';
import { noCodeTerm } from '../../graph/codeTerm.js';
import type { ObjectiveContext, ObjectiveModule } from '../types.js';
import { corrupt } from './corruption.js';
import { encodeCode, reconstructionOnly } from './reconstructionTerm.js';

/** Validation measures reconstruction of clean inputs; only training sees corruption. */
function denoisingInput({ tf, x, params, training, nextSeed }: ObjectiveContext<DenoisingParams>): TF.Tensor {
  return training ? corrupt(tf, x, params.corruption, params.level, nextSeed()) : x;
}

export const denoising: ObjectiveModule<DenoisingParams> = {
  codeUnits: (d) => d,
  encode: encodeCode,
  regularised: true,
  compiled: { codeTerm: () => noCodeTerm, inputs: (context) => ({ input: denoisingInput(context) }) },
  loss(context) {
    const { loss } = reconstructionOnly(context, denoisingInput(context));
    return { total: loss, reconstruction: loss, components: {} };
  },
};
