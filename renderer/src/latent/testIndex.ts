import { formatCount } from '../format.js';

/**
 * Why a typed test-image number cannot be used, or null when it can: a number field gives ''
 * when emptied, and accepts 2.5 or 20000 of 10,000 images unless told otherwise.
 */
export function testIndexProblem(value: number | string, count: number): string | null {
  if (count <= 0) return 'This run has no test images';
  const last = `0–${formatCount(count - 1)}`;
  if (value === '' || typeof value !== 'number' || !Number.isFinite(value)) return `Type a test image number (${last})`;
  if (!Number.isInteger(value)) return `A test image number is a whole number; ${value} was given`;
  if (value < 0 || value >= count) return `There is no test image #${formatCount(value)}: the test split has ${formatCount(count)} images (${last})`;
  return null;
}
