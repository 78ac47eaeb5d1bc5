import type { RobustnessResult } from '../../../../shared/analyses/robustness/robustnessSpec.js';
import type { XySeries } from '../../components/charts/xySeries.js';

type Corruption = RobustnessResult['corruption'];

/** Each test-time corruption by name, and what its level means. */
export const corruptions: Record<Corruption, { name: string; level: string }> = {
  gaussian: { name: 'Gaussian noise', level: 'noise σ' },
  masking: { name: 'masking', level: 'share of inputs set to 0' },
  'salt-and-pepper': { name: 'salt and pepper', level: 'share of inputs set to 0 or 1' },
};

/** One solid line per run, and a dashed one for PCA at each latent size among them. */
export function robustnessSeries(result: RobustnessResult): XySeries[] {
  const along = (mse: number[]) => result.levels.map((x, i) => ({ x, y: mse[i] ?? NaN })).filter((p) => Number.isFinite(p.y));
  return [
    ...result.lines.map((line) => ({ label: `${line.name} (d = ${line.latentDim})`, points: along(line.mse) })),
    ...result.pca.map((line) => ({ label: `PCA, k = ${line.k}`, points: along(line.mse), dashed: true, markers: false })),
  ];
}

/** Levels as typed ("0, 0.1, 0.2"): 2–16 distinct values in [0, 1], ascending, or what is wrong. */
export function parseLevels(text: string): { levels: number[] } | { error: string } {
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  const bad = parts.find((p) => !Number.isFinite(Number(p)) || Number(p) < 0 || Number(p) > 1);
  if (bad !== undefined) return { error: `'${bad}' is not a level between 0 and 1` };
  const levels = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (levels.length < 2 || levels.length > 16) return { error: `list 2 to 16 different levels (${levels.length} given)` };
  return { levels };
}

export function robustnessCsv(result: RobustnessResult): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const columns = [...result.lines.map((l) => quote(`${l.name} (d=${l.latentDim})`)), ...result.pca.map((p) => `PCA k=${p.k}`)];
  const rows = result.levels.map((level, i) => [level, ...result.lines.map((l) => l.mse[i] ?? ''), ...result.pca.map((p) => p.mse[i] ?? '')].join(','));
  return [['level', ...columns].join(','), ...rows].join('\n') + '\n';
}
