import type { DatasetSummary, ImportReport } from '../../shared/domain/dataset.js';
import type { LabInfo } from '../../shared/domain/lab.js';
import { formatBytes } from '../../shared/format.js';


export const shapeText = (shape: readonly number[]): string => shape.join('×');

export function infoText(info: LabInfo): string {
  return [`Autoencoder Lab ${info.version}`, `workspace: ${info.workspace}`, `backend:   ${info.backend.name} — ${info.backend.detail}`].join('\n');
}

export function datasetsText(datasets: DatasetSummary[]): string {
  if (datasets.length === 0) return 'No datasets yet: aelab import PATH…';
  const rows = datasets.map((d) => [d.id, d.name, String(d.count), shapeText(d.shape), String(d.classNames.length), formatBytes(d.bytesOnDisk)]);
  const header = ['id', 'name', 'samples', 'shape', 'classes', 'size'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

export function importText(report: ImportReport): string {
  const d = report.dataset;
  const lines = [
    report.duplicateOf ? `Already in the workspace as ${d.id} ('${d.name}')` : `Imported ${d.id} ('${d.name}')`,
    `  ${d.count} samples of ${shapeText(d.shape)} (${d.dtype}); train ${d.splits.train}, validation ${d.splits.validation}, test ${d.splits.test}`,
    `  classes: ${d.classNames.length === 0 ? 'none (unlabeled)' : d.classNames.map((c, i) => `${c} (${d.classCounts[i]})`).join(', ')}`,
    ...report.notes.map((n) => `  note: ${n}`),
  ];
  if (report.skipped.length > 0) lines.push(`  skipped ${report.skipped.length} file(s):`, ...report.skipped.map((s) => `    ${s.file}: ${s.reason}`));
  return lines.join('\n');
}

/** The JSON shape `import --json` prints: what a script needs, nothing it must dig for. */
export function importJson(report: ImportReport): object {
  const d = report.dataset;
  return {
    id: d.id,
    name: d.name,
    count: d.count,
    shape: d.shape,
    classNames: d.classNames,
    splits: d.splits,
    duplicateOf: report.duplicateOf ?? null,
    skipped: report.skipped,
    notes: report.notes,
  };
}
