import { diagnosticCaptions } from '../../../../shared/catalogue/diagnostics.js';
import type { DiagnosticId, Diagnostics, Histogram } from '../../../../shared/domain/run.js';

/** A bar chart of a diagnostic: a histogram's bins, or one bar per latent unit. */
export interface DiagnosticChart {
  /** Each bar's axis label (a bin's lower edge), and what its tooltip names (the bin's range). */
  ticks: string[];
  labels: string[];
  values: number[];
  xTitle: string;
  yTitle: string;
  /** Counts, which a log axis can spread out when one bin holds most of them. */
  histogram: boolean;
}

/** One diagnostic as the run page shows it: what it was computed on, its figures and chart. */
export interface DiagnosticSection {
  id: DiagnosticId;
  caption: string;
  figures: Array<[string, string]>;
  chart: DiagnosticChart | null;
}

const figure = (v: number): string => (Number.isInteger(v) ? v.toLocaleString('en-US') : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : String(Number(v.toPrecision(3))));
const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;
/** Two significant figures, for shares that may be far below 0.1 %. */
const smallPercent = (fraction: number): string => `${Number((fraction * 100).toPrecision(2))} %`;
/** Beyond this many units a per-unit chart is a smear: the figures say it instead. */
const chartedUnits = 64;

/** An edge with one digit more than the bin width needs, so neighbouring ticks differ. */
const tick = (v: number, width: number): string => String(Number(v.toFixed(Math.min(8, Math.max(0, Math.ceil(-Math.log10(width)) + 1)))));

/** A histogram's bars, each ticked at its bin's lower edge and named by its range. */
export function histogramChart(h: Histogram, xTitle: string): DiagnosticChart {
  const width = (h.high - h.low) / Math.max(1, h.counts.length);
  const edge = (i: number): number => h.low + i * width;
  return {
    ticks: h.counts.map((_, i) => tick(edge(i), width > 0 ? width : 1)),
    labels: h.counts.map((_, i) => `${figure(edge(i))} – ${figure(edge(i + 1))}`),
    values: [...h.counts],
    xTitle,
    yTitle: 'count',
    histogram: true,
  };
}

function perUnitChart(values: readonly number[], yTitle: string): DiagnosticChart | null {
  if (values.length > chartedUnits) return null;
  const labels = values.map((_, i) => `z${i + 1}`);
  return { ticks: labels, labels, values: [...values], xTitle: 'latent unit', yTitle, histogram: false };
}

type Sections = { [K in DiagnosticId]: (d: NonNullable<Diagnostics[K]>) => Omit<DiagnosticSection, 'id' | 'caption'> };

const sections: Sections = {
  codeActivations: (d) => ({
    figures: [
      [`Near zero (|h| < ${figure(d.nearZeroCutoff)}, ${d.nearZeroFraction * 100} % of the ${d.nearZeroRelativeTo})`, percent(d.nearZeroShare)],
      ['Mean activation, least and most active unit', `${figure(Math.min(...d.meanPerUnit))} – ${figure(Math.max(...d.meanPerUnit))}`],
      ...(d.target !== null && d.klToTargetPerUnit
        ? ([
            ['Target mean activation ρ', figure(d.target)],
            ['Σ KL(ρ ‖ ρ̂ⱼ) over units', figure(d.klToTargetPerUnit.reduce((a, b) => a + b, 0))],
          ] as Array<[string, string]>)
        : []),
      ['Histogram range', `[${figure(d.histogram.low)}, ${figure(d.histogram.high)}] (${d.histogramRange})`],
    ],
    chart: histogramChart(d.histogram, 'activation h'),
  }),
  jacobianNorms: (d) => ({
    figures: [
      ['Mean ‖∂f/∂x‖_F', figure(d.meanNorm)],
      ['Mean ‖∂f/∂x‖²_F', figure(d.meanSquaredNorm)],
      ['Median (5 % – 95 %)', `${figure(d.quantiles.find((q) => q.q === 0.5)?.value ?? NaN)} (${figure(d.quantiles[0]?.value ?? NaN)} – ${figure(d.quantiles[d.quantiles.length - 1]?.value ?? NaN)})`],
      [
        d.testImages < d.splitImages ? `Test images (at most ${figure(d.sampleCap)}, fewer for a ${figure(d.codeUnits)}-unit code)` : 'Test images',
        d.testImages < d.splitImages ? `${figure(d.testImages)} of ${figure(d.splitImages)}` : `all ${figure(d.testImages)}`,
      ],
    ],
    chart: histogramChart(d.histogram, '‖∂f/∂x‖_F per image'),
  }),
  posterior: (d) => ({
    figures: [
      ['KL to the prior, all units', `${figure(d.klPerUnit.reduce((a, b) => a + b, 0))} nats`],
      [`Active units (Var of μ over images > ${d.activeVarianceThreshold})`, `${d.activeUnits} of ${d.klPerUnit.length}`],
      [`Collapsed (every unit's KL < ${d.collapseKlThreshold} nats)`, d.collapsed ? 'yes' : 'no'],
      ['Change when decoding another image’s code', `${smallPercent(d.shuffledCodeDifference / Math.max(d.pixelVariance, 1e-12))} of the pixel variance`],
    ],
    chart: perUnitChart(d.klPerUnit, 'KL (nats)'),
  }),
  copyCheck: (d) => ({
    figures: [
      ['Code size against input size', `${figure(d.codeSize)} for ${figure(d.inputSize)}`],
      ['Error on uniform noise / on test images', `${figure(d.noiseMse)} / ${figure(d.testMse)} = ${d.ratio.toFixed(2)}×`],
      [`Copying (ratio < ${d.ratioThreshold}×)`, d.copies ? 'likely' : 'no'],
    ],
    chart: null,
  }),
};

function sectionOf<K extends DiagnosticId>(id: K, diagnostics: Diagnostics): DiagnosticSection[] {
  const diagnostic = diagnostics[id];
  return diagnostic ? [{ id, caption: diagnosticCaptions[id](diagnostic), ...sections[id](diagnostic) }] : [];
}

/** The diagnostics a run has, in a fixed order; none for evaluations written before them. */
export function diagnosticSections(diagnostics: Diagnostics | undefined): DiagnosticSection[] {
  if (!diagnostics) return [];
  return (Object.keys(sections) as DiagnosticId[]).flatMap((id) => sectionOf(id, diagnostics));
}
