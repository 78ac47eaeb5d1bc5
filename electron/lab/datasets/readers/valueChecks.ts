import { LabError } from '../../../../shared/result.js';

/** The index of the first NaN or ±∞ among the values, or -1 when every value is finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i += 1) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A flat index as the element's position in an array of that shape: 13 in (4, 6) → [2, 1]. */
export function positionIn(index: number, shape: readonly number[]): number[] {
  const position: number[] = [];
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis -= 1) {
    const size = shape[axis] ?? 1;
    position.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return position;
}

/**
 * Refuses NaN and infinite values at import, as the CSV reader does for its cells: a model
 * cannot train on them, and a run would only fail later in its first pass.
 */
export function refuseNonFinite(values: ArrayLike<number>, shape: readonly number[], display: string): void {
  const at = firstNonFinite(values);
  if (at < 0) return;
  const value = values[at] ?? Number.NaN;
  throw new LabError(
    'corrupt-file',
    `${display}: element [${positionIn(at, shape).join(', ')}] (value ${at}) is ${String(value)}; NaN and infinite values cannot be trained on, replace or drop them before importing`,
  );
}

/**
 * The last line of defence for a damaged file: an error no check above it foresaw is
 * reported with the file's name and format, the engine's own text kept as the detail.
 */
export function damagedFileError(display: string, format: string, cause: unknown): LabError {
  if (cause instanceof LabError) return cause;
  return new LabError('corrupt-file', `${display}: the ${format} file is damaged (its structure does not add up)`, cause instanceof Error ? cause.message : String(cause));
}
