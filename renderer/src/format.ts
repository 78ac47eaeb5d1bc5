export { formatBytes } from '../../shared/format.js';

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const formatShape = (shape: readonly number[]): string => {
  const [h, w, c] = shape;
  return `${w}×${h} px, ${c === 1 ? 'grayscale' : c === 3 ? 'RGB' : `${c} channels`}`;
};

export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
};
