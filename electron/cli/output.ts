import type { DatasetSummary, ImportReport } from '../../shared/domain/dataset.js';
import type { LabInfo } from '../../shared/domain/lab.js';
import { formatBytes } from '../../shared/format.js';

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides written visibly, as `\x1b`
 * or `\u202e`: a file, dataset or run name comes from outside and must not move the cursor,
 * recolour or clear the terminal, or reorder what the user reads. Backslashes stay as they are
 * (Windows paths), so the escaping is for the eye, not a reversible encoding.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unsafeInName = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, keeping line breaks and tabs: for a multi-line text whose lines the CLI wrote itself. */
// eslint-disable-next-line no-control-regex -- as above
const unsafeInText = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** A name or one-line message from outside the CLI (a file, dataset, class or run name), safe to print. */
export const safeName = (text: string): string => text.replace(unsafeInName, visible);

/** Human output just before it reaches the terminal: every control character but `\n` and `\t` shown visibly. */
export const terminalSafe = (text: string): string => text.replace(unsafeInText, visible);

export const shapeText = (shape: readonly number[]): string => shape.join('×');

export function infoText(info: LabInfo): string {
  return [`Autoencoder Lab ${info.version}`, `workspace: ${safeName(info.workspace)}`, `backend:   ${info.backend.name} — ${info.backend.detail}`, `access:    ${info.access.mode === 'owner' ? 'owner (this process owns the workspace)' : `read-only: ${safeName(info.access.reason ?? '')}`}`].join('\n');
}

export function datasetsText(datasets: DatasetSummary[]): string {
  if (datasets.length === 0) return 'No datasets yet: aelab import PATH…';
  const rows = datasets.map((d) => [d.id, safeName(d.name), String(d.count), shapeText(d.shape), String(d.classNames.length), formatBytes(d.bytesOnDisk)]);
  const header = ['id', 'name', 'samples', 'shape', 'classes', 'size'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

export function importText(report: ImportReport): string {
  const d = report.dataset;
  const lines = [
    report.duplicateOf ? `Already in the workspace as ${d.id} ('${safeName(d.name)}')` : `Imported ${d.id} ('${safeName(d.name)}')`,
    `  ${d.count} samples of ${shapeText(d.shape)} (${d.dtype}); train ${d.splits.train}, validation ${d.splits.validation}, test ${d.splits.test}`,
    `  classes: ${d.classNames.length === 0 ? 'none (unlabeled)' : d.classNames.map((c, i) => `${safeName(c)} (${d.classCounts[i]})`).join(', ')}`,
    ...report.notes.map((n) => `  note: ${safeName(n)}`),
  ];
  if (report.skipped.length > 0) lines.push(`  skipped ${report.skipped.length} file(s):`, ...report.skipped.map((s) => `    ${safeName(s.file)}: ${safeName(s.reason)}`));
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
