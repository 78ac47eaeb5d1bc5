import type { z } from 'zod';

export type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * How the fields of a payload are named to the person who filled it in: by path
 * ('epochs', 'size.0'), or a function of the path. A path without a name is named by its
 * nearest named parent and the entry ('Image size, entry 2'), or else by the path itself.
 */
export type FieldNames = Readonly<Record<string, string>> | ((path: Path) => string | undefined);

/**
 * One zod issue as a sentence naming the field in the words of the form it came from, with
 * the value given where it helps: "Epochs must be a whole number; 2.5 was given". `input` is
 * what was validated (zod's issues do not carry the value).
 */
export function issueSentence(issue: Issue, input: unknown, names: FieldNames = {}, whole = 'The request'): string {
  const field = fieldName(issue.path, names, whole);
  const value = valueAt(input, issue.path);
  if (issue.code !== 'custom' && authored(issue.message)) return authoredSentence(field, issue.message, value);
  switch (issue.code) {
    case 'invalid_type':
      return typeSentence(field, issue.expected, value);
    case 'too_small':
    case 'too_big':
      return boundSentence(field, issue, value);
    case 'invalid_value':
      return `${field} must be ${issue.values.length === 1 ? shown(issue.values[0]) : `one of ${issue.values.map(shown).join(', ')}`}; ${given(value)}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${String(issue.divisor)}; ${given(value)}`;
    case 'unrecognized_keys':
      return `${field} has no field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_format':
      return `${field} must be ${formatNames[issue.format] ?? `in the ${issue.format} format`}; ${given(value)}`;
    case 'invalid_union':
      return unionSentence(field, issue, value);
    case 'custom':
      // A refinement's message is already a sentence written for people.
      return capitalised(issue.message);
    default:
      return `${field} is not valid; ${given(value)}`;
  }
}

/** Every issue of a failed parse as a sentence (a payload may be wrong in several fields at once). */
export function issueSentences(error: z.ZodError, input: unknown, names: FieldNames = {}, whole?: string): string[] {
  return [...new Set(error.issues.map((issue) => issueSentence(issue, input, names, whole)))];
}

/** The first issue as a sentence: where one message is shown. */
export function firstIssueSentence(error: z.ZodError, input: unknown, names: FieldNames = {}, whole?: string): string {
  const [first] = error.issues;
  return first ? issueSentence(first, input, names, whole) : `${whole ?? 'The request'} is not valid`;
}

/** Names a path by the payload's own field names, for callers without a form (the contract, the CLI's JSON). */
export const pathNames: FieldNames = (path) => (path.length > 0 ? path.map(String).join('.') : undefined);

function fieldName(path: Path, names: FieldNames, whole: string): string {
  if (path.length === 0) return whole;
  const lookup = (p: Path): string | undefined => (typeof names === 'function' ? names(p) : names[p.map(String).join('.')]);
  for (let length = path.length; length > 0; length -= 1) {
    const named = lookup(path.slice(0, length));
    if (named === undefined) continue;
    if (length === path.length) return named;
    return `${named}, ${path
      .slice(length)
      .map((p) => (typeof p === 'number' ? `entry ${p + 1}` : String(p)))
      .join(', ')}`;
  }
  return path.map(String).join('.');
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const typeNames: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  tuple: 'a list',
  object: 'a set of fields',
  record: 'a set of fields',
  bigint: 'a whole number',
  date: 'a date',
};

const formatNames: Record<string, string> = { email: 'an e-mail address', url: 'a web address', uuid: 'an id (UUID)', regex: 'in the expected pattern', datetime: 'a date and time' };

function typeSentence(field: string, expected: string, value: unknown): string {
  if (value === undefined) return `${field} is missing`;
  const wanted = typeNames[expected] ?? `a ${expected}`;
  // NaN is what an emptied number field reads as: say what is needed, not "NaN was given".
  if (typeof value === 'number' && Number.isNaN(value)) return `${field} must be ${wanted}`;
  return `${field} must be ${wanted}; ${given(value)}`;
}

function boundSentence(field: string, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  const inclusive = issue.inclusive !== false;
  const limit = Number(bound);
  switch (issue.origin) {
    case 'string': {
      if (small && limit === 1) return `${field} must not be empty`;
      const length = typeof value === 'string' ? `; it has ${value.length}` : '';
      return `${field} must be at ${small ? 'least' : 'most'} ${plural(limit, 'character')} long${length}`;
    }
    case 'array':
    case 'set':
    case 'file': {
      const count = Array.isArray(value) ? `; ${value.length} ${value.length === 1 ? 'was' : 'were'} given` : '';
      if (issue.exact) return `${field} must have exactly ${plural(limit, 'entry', 'entries')}${count}`;
      return `${field} must have at ${small ? 'least' : 'most'} ${plural(limit, 'entry', 'entries')}${count}`;
    }
    default: {
      const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      return `${field} must be ${relation} ${String(bound)}; ${given(value)}`;
    }
  }
}

function unionSentence(field: string, issue: z.core.$ZodIssueInvalidUnion, value: unknown): string {
  // Branches that each wanted another type read as one sentence: "must be text or a whole number".
  const wanted = issue.errors.map((branch) => {
    const [only] = branch;
    return branch.length === 1 && only?.code === 'invalid_type' && only.path.length === 0 ? (typeNames[only.expected] ?? `a ${only.expected}`) : null;
  });
  if (wanted.length > 0 && wanted.every((w) => w !== null)) return value === undefined ? `${field} is missing` : `${field} must be ${[...new Set(wanted)].join(' or ')}; ${given(value)}`;
  return `${field} is not valid; ${given(value)}`;
}

/** Zod's own messages start so; any other was written with the schema, for people. */
const authored = (message: string): boolean => !/^(Invalid|Too small|Too big|Unrecognized)\b/.test(message);

/** A schema's own words ('not a run id', 'a configuration field') made into a sentence about the field. */
function authoredSentence(field: string, message: string, value: unknown): string {
  if (/^not /.test(message)) return `${field} is ${message}; ${given(value)}`;
  if (/^an? /.test(message)) return `${field} must be ${message}; ${given(value)}`;
  return `${field}: ${message}`;
}

function given(value: unknown): string {
  return value === undefined ? 'nothing was given' : `${shown(value)} was given`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 37)}…'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return value.length <= 4 && value.every((v) => typeof v === 'number') ? `[${value.join(', ')}]` : `a list of ${plural(value.length, 'entry', 'entries')}`;
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (typeof value === 'object') return 'a set of fields';
  return typeof value;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
