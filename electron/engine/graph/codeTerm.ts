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
