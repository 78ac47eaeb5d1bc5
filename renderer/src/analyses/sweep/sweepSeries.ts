import { pcaAt } from '../../../../shared/analyses/pca/pcaSpec.js';
import type { SweepAxis, SweepPoint } from '../../../../shared/domain/sweep.js';
import type { XySeries } from '../../components/charts/xySeries.js';
import type { SweepResults } from '../../stores/sweeps.js';
import { sweepFieldLabel } from '../../format.js';
import { testMseSeries } from '../pca/pcaCurves.js';

const formatValue = (value: SweepAxis['values'][number]): string => (Array.isArray(value) ? value.join(',') : String(value));
const isNumeric = (axis: SweepAxis): boolean => axis.values.every((v) => typeof v === 'number');

/** What a member is called on a chart or a grid row: its values of `fields`; a family by its name alone. */
export function pointLabel(point: SweepPoint, fields: readonly string[]): string {
  return fields
    .map((field) => {
      const value = point[field];
      if (value === undefined) return '';
      if (field === 'latentDim') return `d = ${formatValue(value)}`;
      return field === 'architecture' || field === 'objective' ? formatValue(value) : `${sweepFieldLabel(field)} ${formatValue(value)}`;
    })
    .filter((part) => part !== '')
    .join(', ');
}

export interface SweepChart {
  xField: string;
  xTitle: string;
  logX: boolean;
  /** Names of the x positions when the swept field is not a number. */
  categories: string[] | null;
  /** The swept values, where the axis has its ticks. */
  ticks: number[] | null;
  /** One line per family (the values of the other axes), then PCA-k where the x axis is the latent size. */
  series: XySeries[];
  memberPoints: number;
  pcaPoints: number;
  /** Members without a test evaluation yet. */
  pending: number;
}

/**
 * Test MSE against the swept value: the latent size where it is swept (else the first numeric
 * axis), one line for each combination of the other axes, and PCA with k = d on the same axes.
 */
export function sweepChart(results: SweepResults): SweepChart {
  const numeric = results.axes.filter(isNumeric);
  const xAxis = numeric.find((a) => a.field === 'latentDim') ?? numeric[0] ?? results.axes[0];
  if (!xAxis) return { xField: '', xTitle: '', logX: false, categories: null, ticks: null, series: [], memberPoints: 0, pcaPoints: 0, pending: 0 };
  const categories = isNumeric(xAxis) ? null : xAxis.values.map(formatValue);
  const familyFields = results.axes.filter((a) => a !== xAxis).map((a) => a.field);
  const lines = new Map<string, XySeries>();
  let pending = 0;
  for (const member of results.members) {
    const key = pointLabel(member.point, familyFields) || `${member.run.config.architecture} ${member.run.config.objective} (test MSE)`;
    const line = lines.get(key) ?? { label: key, points: [] };
    lines.set(key, line);
    const value = member.point[xAxis.field];
    const mse = member.evaluation?.mse;
    if (value === undefined || mse === undefined) {
      pending += 1;
      continue;
    }
    line.points.push({ x: categories ? categories.indexOf(formatValue(value)) : Number(value), y: mse });
  }
  for (const line of lines.values()) line.points.sort((a, b) => a.x - b.x);
  const xs = categories ? [] : (xAxis.values as number[]);
  const [low, high] = [Math.min(...xs), Math.max(...xs)];
  const logX = !categories && low > 0 && high / low >= 8;
  const pca = xAxis.field === 'latentDim' && results.pca ? testMseSeries(results.pca, low, high, 'PCA with k = d components') : null;
  const members = [...lines.values()];
  return {
    xField: xAxis.field,
    xTitle: `${sweepFieldLabel(xAxis.field)}${logX ? ' (log scale)' : ''}`,
    logX,
    categories,
    ticks: categories ? null : [...xs].sort((a, b) => a - b),
    series: pca ? [...members, pca] : members,
    memberPoints: members.reduce((n, l) => n + l.points.length, 0),
    pcaPoints: pca?.points.length ?? 0,
    pending,
  };
}

export interface SweepRow {
  runId: string;
  name: string;
  label: string;
  values: string[];
  status: string;
  testMse: number | null;
  psnr: number | null;
  /** PCA with as many components as the member's latent size. */
  pca: { k: number; testMse: number } | null;
}

/** The sweep as a table, one row per member in the sweep's order. */
export function sweepRows(results: SweepResults): SweepRow[] {
  const fields = results.axes.map((a) => a.field);
  return results.members.map((m) => {
    // The dataset's PCA is of every class: no baseline for a member trained on normal classes only.
    const baseline = results.pca && !m.run.config.normalClasses ? pcaAt(results.pca, m.run.config.latentDim) : null;
    return {
      runId: m.run.id,
      name: m.run.name,
      label: pointLabel(m.point, fields),
      values: fields.map((f) => (m.point[f] === undefined ? '' : formatValue(m.point[f]))),
      status: m.run.status,
      testMse: m.evaluation?.mse ?? null,
      psnr: m.evaluation?.psnr ?? null,
      pca: baseline ? { k: baseline.k, testMse: baseline.testMse } : null,
    };
  });
}

export function sweepCsv(results: SweepResults): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const number = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
  const header = [...results.axes.map((a) => a.field), 'run', 'status', 'test_mse', 'psnr', 'pca_k', 'pca_test_mse'];
  const rows = sweepRows(results).map((r) => [...r.values.map(quote), quote(r.name), r.status, number(r.testMse), number(r.psnr), number(r.pca?.k), number(r.pca?.testMse)].join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}
