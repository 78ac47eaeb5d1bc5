import type { FunctionBuilder, Ref } from './functionDef.js';

/** What a code term writes into the step, between encoder and decoder. */
export interface CodeOps {
  decoderInput: Ref;
  /** The objective's own term (unweighted, as it is reported), or null. */
  penalty: Ref | null;
  weight: number;
  /** ∂loss/∂code from ∂loss/∂(decoder input). */
  backward(dDecoderInput: Ref): Ref;
}

/**
 * What an objective adds at the code in a compiled step: nothing, a penalty on the code, or a
 * VAE's reparameterised sample and KL. Each objective writes its own, with the same maths as its
 * eager loss (model/objectives/).
 */
export interface CodeTerm {
  /** The step takes a VAE's ε as its argument after the data. */
  readonly takesNoise: boolean;
  /** The term reports a penalty: the step's third loss part. */
  readonly penalised: boolean;
  emit(g: FunctionBuilder, code: Ref, args: { noise: Ref | null; inverseBatch: Ref }): CodeOps;
}

/** The code passes to the decoder untouched (plain and denoising objectives). */
export const noCodeTerm: CodeTerm = {
  takesNoise: false,
  penalised: false,
  emit: (_g, code) => ({ decoderInput: code, penalty: null, weight: 0, backward: (d) => d }),
};

/** What a compiled step is told to add at the code: a term, or `{ kind: 'none' }` for nothing. */
export type StepCode = CodeTerm | { kind: 'none' };

export const codeTermOf = (code: StepCode): CodeTerm => ('emit' in code ? code : noCodeTerm);

/**
 * A VAE encoder's mean as the next layers' input: its output holds μ then log σ², the term
 * passes the first `meanUnits` columns on. Backward, ∂loss/∂μ padded with zeros for the
 * log σ² half, which nothing downstream reads.
 */
export function meanSliceTerm(meanUnits: number, codeUnits: number): CodeTerm {
  if (!Number.isInteger(meanUnits) || meanUnits < 1 || meanUnits > codeUnits) throw new Error(`a mean of ${meanUnits} units does not fit a code of ${codeUnits}`);
  return {
    takesNoise: false,
    penalised: false,
    emit(g, code) {
      const mean = g.op('Slice', [code, g.constant([0, 0], [2], 'int32'), g.constant([-1, meanUnits], [2], 'int32')], { T: { type: 'float' }, Index: { type: 'int32' } });
      const paddings = g.constant([0, 0, 0, codeUnits - meanUnits], [2, 2], 'int32');
      return { decoderInput: mean, penalty: null, weight: 0, backward: (d) => g.op('Pad', [d, paddings], { T: { type: 'float' }, Tpaddings: { type: 'int32' } }) };
    },
  };
}
