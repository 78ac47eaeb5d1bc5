import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { LabError } from '../../shared/result.js';
import { writeFileAtomic } from './workspace/atomicWrite.js';

/**
 * A JSON file the lab writes: a name for messages, the version this lab writes, and the
 * schema of its content. Files carry `formatVersion` at the top level; files written before
 * the lab stamped versions have the same shape as version 1 and read as version 1.
 */
export interface FileFormat<T> {
  /** What the file is, for messages: "run state", "dataset meta". */
  name: string;
  version: number;
  schema: z.ZodType<T>;
}

export const defineFormat = <T>(name: string, version: number, schema: z.ZodType<T>): FileFormat<T> => ({ name, version, schema });

/** The content with its format version first, as one JSON text. */
export function stamp<T>(format: FileFormat<T>, value: T, indent?: number): string {
  return JSON.stringify({ formatVersion: format.version, ...(value as object) }, null, indent);
}

/** Where in a value a schema's first complaint points, as a reader would look for it. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the whole file' : `field '${path.map(String).join('.')}'`;
}

/**
 * Parses and validates one file's text. A file that is not JSON, has the wrong shape, or a
 * version this lab does not read is refused with its path and the field at fault — never misread.
 */
export function parseVersioned<T>(format: FileFormat<T>, file: string, text: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new LabError('corrupt-file', `${file}: the ${format.name} is not valid JSON (${(cause as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new LabError('corrupt-file', `${file}: the ${format.name} is not a JSON object`);
  const { formatVersion = 1, ...content } = raw as { formatVersion?: unknown };
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion)) {
    throw new LabError('corrupt-file', `${file}: field 'formatVersion' of the ${format.name} is ${JSON.stringify(formatVersion)}, not a whole number`);
  }
  if (formatVersion > format.version) {
    throw new LabError('unsupported-format', `${file}: the ${format.name} has format version ${formatVersion}, newer than this lab reads (${format.version}); open it with a newer Autoencoder Lab`);
  }
  if (formatVersion < format.version) {
    throw new LabError('unsupported-format', `${file}: the ${format.name} has format version ${formatVersion}, older than this lab reads (${format.version})`);
  }
  const parsed = format.schema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabError('corrupt-file', `${file}: ${fieldOf(issue?.path ?? [])} of the ${format.name}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export async function readVersioned<T>(format: FileFormat<T>, file: string): Promise<T> {
  return parseVersioned(format, file, await readFile(file, 'utf8'));
}

/** Reads the file, or `null` where it does not exist (yet); any other failure is thrown. */
export async function readVersionedIfPresent<T>(format: FileFormat<T>, file: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cause;
  }
  return parseVersioned(format, file, text);
}

export function writeVersioned<T>(format: FileFormat<T>, file: string, value: T, indent = 2): Promise<void> {
  return writeFileAtomic(file, stamp(format, value, indent));
}
