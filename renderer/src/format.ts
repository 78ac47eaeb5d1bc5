export { formatBytes } from '../../shared/format.js';

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const formatShape = (shape: readonly number[]): string => {
  const [h, w, c] = shape;
  return `${w}×${h} px, ${c === 1 ? 'grayscale' : c === 3 ? 'RGB' : `${c} channels`}`;
};
