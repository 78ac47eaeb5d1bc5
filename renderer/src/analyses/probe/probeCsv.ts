import type { ProbeResult } from '../../../../shared/analyses/probe/probeSpec.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The learning curve, one row per line, labels-per-class count and draw: what each classifier
 * was, what it was trained on and its test accuracy, and how its training ended. The means and
 * spreads of the chart follow from these rows.
 */
export function probeCsv(result: ProbeResult): string {
  const header = ['line', 'kind', 'run', 'labels_per_class', 'labelled_count', 'draw', 'accuracy', 'epochs', 'steps', 'stopped_by'].join(',');
  const rows = result.lines.flatMap((line) =>
    line.points.flatMap((point) =>
      point.draws.map((d) => [quote(line.label), line.kind, line.runId ?? '', point.labelsPerClass, point.labelledCount, d.draw, d.accuracy, d.epochs, d.steps, d.stoppedBy].join(',')),
    ),
  );
  return [header, ...rows].join('\n') + '\n';
}
