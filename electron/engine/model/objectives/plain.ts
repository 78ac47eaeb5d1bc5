import { noCodeTerm } from '../../graph/codeTerm.js';
import type { ObjectiveModule } from '../types.js';
import { encodeCode, reconstructionOnly } from './reconstructionTerm.js';

export const plain: ObjectiveModule = {
  codeUnits: (d) => d,
  encode: encodeCode,
  regularised: false,
  compiled: { codeTerm: () => noCodeTerm, inputs: ({ x }) => ({ input: x }) },
  loss(context) {
    const { loss } = reconstructionOnly(context);
    return { total: loss, reconstruction: loss, components: {} };
  },
};
