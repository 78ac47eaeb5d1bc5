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

const sweepFieldLabels: Record<string, string> = {
  latentDim: 'latent size d',
  learningRate: 'learning rate',
  batchSize: 'batch size',
  epochs: 'epochs',
  architecture: 'architecture',
  objective: 'objective',
  reconstructionLoss: 'reconstruction loss',
  optimizer: 'optimizer',
  normalClasses: 'normal classes',
};

/** A swept field as people say it: 'latent size d', 'level' for objectiveParams.level. */
export const sweepFieldLabel = (field: string): string => sweepFieldLabels[field] ?? field.replace(/^(architectureParams|objectiveParams)\./, '');

/** A chart's number in at most three significant digits, without trailing zeros. */
export const formatAxisNumber = (value: number): string => (value === 0 ? '0' : Math.abs(value) < 1e-4 ? value.toExponential(1) : String(Number(value.toPrecision(3))));
