/** A hyperparameter as the catalogue describes it: what the UI builds its form field from. */
export type ParamSpec =
  | { kind: 'number'; label: string; description: string; default: number; min: number; max: number; integer?: boolean; logScale?: boolean }
  | { kind: 'choice'; label: string; description: string; default: string; options: readonly string[] }
  | { kind: 'integers'; label: string; description: string; default: readonly number[]; min: number; max: number; maxLength: number };

export type ParamValue = number | string | readonly number[];
export type ParamSpecs = Record<string, ParamSpec>;
export type ParamValues = Record<string, ParamValue>;

/** The value a spec admits: a number, one of its options, or a list of whole numbers. */
export type ValueOf<S extends ParamSpec> = S extends { kind: 'choice'; options: readonly (infer O)[] } ? O : S extends { kind: 'integers' } ? readonly number[] : number;
/** The typed values of a family's hyperparameters, as resolveParams fills them. */
export type ValuesOf<S extends ParamSpecs> = { [K in keyof S]: ValueOf<S[K]> };

/** Fills defaults and checks each value against its spec; returns the values or the first problem. */
export function resolveParams(specs: ParamSpecs, given: Record<string, unknown>, owner: string): { values: ParamValues } | { error: string } {
  const values: ParamValues = {};
  for (const key of Object.keys(given)) if (!(key in specs)) return { error: `${owner} has no hyperparameter '${key}' (it has ${Object.keys(specs).join(', ') || 'none'})` };
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key] ?? spec.default;
    const problem = checkParam(spec, value);
    if (problem) return { error: `${owner}: ${spec.label} (${key}) ${problem}` };
    values[key] = value as ParamValue;
  }
  return { values };
}

function checkParam(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (spec.integer && !Number.isInteger(value)) return 'must be a whole number';
      if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max}, not ${value}`;
      return undefined;
    case 'choice':
      return typeof value === 'string' && spec.options.includes(value) ? undefined : `must be one of ${spec.options.join(', ')}, not ${String(value)}`;
    case 'integers':
      if (!Array.isArray(value) || value.some((v) => !Number.isInteger(v))) return 'must be a list of whole numbers';
      if (value.length > spec.maxLength) return `may have at most ${spec.maxLength} entries`;
      if (value.some((v: number) => v < spec.min || v > spec.max)) return `entries must be between ${spec.min} and ${spec.max}`;
      return undefined;
  }
}
