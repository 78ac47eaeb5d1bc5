import type { Attr, FunctionBuilder, Ref } from './functionDef.js';

/** Attributes and small op patterns every part of a compiled step writes. */
export const T: Record<string, Attr> = { T: { type: 'float' } };
export const int32 = { type: 'int32' } as const;

export const mean0 = (g: FunctionBuilder, x: Ref): Ref => g.op('Mean', [x, g.constant([0], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
export const sum0 = (g: FunctionBuilder, x: Ref): Ref => g.op('Sum', [x, g.constant([0], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
export const sum1 = (g: FunctionBuilder, x: Ref): Ref => g.op('Sum', [x, g.constant([1], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
/** x · (factor · by), where factor is a scalar argument such as 1/batch. */
export const scaled = (g: FunctionBuilder, x: Ref, factor: Ref, by: number): Ref => g.op('Mul', [x, g.op('Mul', [factor, g.constant([by])], T)], T);
export const asFloat = (g: FunctionBuilder, condition: Ref): Ref => g.op('Cast', [condition], { SrcT: { type: 'bool' }, DstT: { type: 'float' }, Truncate: { b: false } });
/** 1 where low ≤ x ≤ high, else 0: where a clip passes its gradient, as tfjs's clipByValue gradient does. */
export const insideClip = (g: FunctionBuilder, x: Ref, low: Ref, high: Ref): Ref => asFloat(g, g.op('LogicalAnd', [g.op('GreaterEqual', [x, low], T), g.op('LessEqual', [x, high], T)]));

/** Per sample summed over features, averaged over the batch: the lab's reconstruction term. */
export const batchMean = (g: FunctionBuilder, perFeature: Ref): Ref => mean0(g, sum1(g, perFeature));
