import type { ImportOptions } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import type { ReadSamples } from '../../../format/datasets/datasetData.js';
import { baseName, extensionOf, type SourceFile } from '../sources/sourceFile.js';
import type { DatasetReader } from './datasetReader.js';
import { maybeGunzip } from './gzip.js';
import { formatBytes, formatCount, importLimits, overLimit } from './limits.js';
import { compactValues, layoutFor } from './numericSamples.js';

const labelNames = new Set(['label', 'labels', 'class', 'classes', 'target', 'y', 'category', 'digit']);

function splitLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The file's text: UTF-8, or UTF-16 when a byte-order mark says so. UTF-16 without a mark
 * (every other byte zero) is refused by name rather than read as garbled cells.
 */
export function decodeText(bytes: Buffer, display: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  const head = bytes.subarray(0, 1024);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < head.length; i += 1) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) zeroEven += 1;
    else zeroOdd += 1;
  }
  const half = head.length / 2;
  if (head.length >= 4 && Math.max(zeroEven, zeroOdd) > half * 0.4) {
    throw new LabError(
      'unsupported-format',
      `${display}: the text looks like UTF-16 (${zeroOdd > zeroEven ? 'little' : 'big'}-endian) without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM`,
    );
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

const isNumber = (cell: string): boolean => cell !== '' && Number.isFinite(Number(cell));

function detectDelimiter(line: string): string {
  const candidates = [',', ';', '\t', '|'];
  return candidates.map((d) => [d, line.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}

/**
 * Numeric CSV: one sample per row, an optional label column (by option, by header name,
 * or the one column of text), a header row detected when its cells are not numbers.
 */
export async function readCsv(file: SourceFile, options: ImportOptions, notes: string[]): Promise<ReadSamples> {
  const limitText = `${formatBytes(importLimits.maxCsvBytes)} for a CSV (the longest text JavaScript holds)`;
  // Checked before reading: the text of a larger file could not be held at all.
  if (file.size > importLimits.maxCsvBytes) throw new LabError('too-large', `${file.display}: ${formatBytes(file.size)} ${overLimit(limitText)}; save the data as NPY instead`);
  const raw = await file.read();
  const text = decodeText(await maybeGunzip(raw, file.display, { maxBytes: importLimits.maxCsvBytes, limitText }), file.display);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length === 0) throw new LabError('empty-input', `${file.display}: the file is empty`);
  const delimiter = detectDelimiter(lines[0] ?? '');
  const first = splitLine(lines[0] ?? '', delimiter);
  const second = lines[1] === undefined ? undefined : splitLine(lines[1], delimiter);
  const hasHeader = first.some((c) => !isNumber(c)) && (second === undefined || first.filter(isNumber).length < second.filter(isNumber).length || first.every((c) => !isNumber(c)));
  const header = hasHeader ? first : first.map((_, i) => `column ${i + 1}`);
  const rowsStart = hasHeader ? 1 : 0;
  const columnName = (i: number): string => (hasHeader ? `'${header[i]}' (${i + 1})` : `${i + 1}`);
  if (hasHeader) notes.push(`${file.display}: first row read as a header`);
  if (lines.length - rowsStart === 0) throw new LabError('empty-input', `${file.display}: a header but no data rows`);

  let labelIndex: number | undefined;
  if (options.labelColumn !== undefined) {
    labelIndex = typeof options.labelColumn === 'number' ? options.labelColumn : header.indexOf(options.labelColumn);
    if (labelIndex < 0 || labelIndex >= header.length) throw new LabError('invalid-option', `${file.display}: no label column '${options.labelColumn}'`);
  } else {
    // A column of text can only be the label; otherwise a header name says which one is.
    const firstRow = hasHeader ? second : first;
    const textColumns = (firstRow ?? []).map((c, i) => (isNumber(c) ? -1 : i)).filter((i) => i >= 0);
    const byName = hasHeader ? header.findIndex((h) => labelNames.has(h.toLowerCase())) : -1;
    if (textColumns.length === 1) labelIndex = textColumns[0];
    else if (byName >= 0) labelIndex = byName;
  }

  const width = header.length;
  const features = width - (labelIndex === undefined ? 0 : 1);
  if (features < 1) throw new LabError('empty-input', `${file.display}: no feature columns besides the label`);
  const rows = lines.length - rowsStart;
  if (rows > importLimits.maxSamples || rows * features > importLimits.maxValues) {
    const limit = rows > importLimits.maxSamples ? `${formatCount(importLimits.maxSamples)} samples` : `${formatCount(importLimits.maxValues)} values`;
    throw new LabError('too-large', `${file.display}: ${formatCount(rows)} rows of ${features} features ${overLimit(limit)}`);
  }
  const values = new Float64Array(rows * features);
  const rawLabels: string[] = [];
  for (let r = 0; r < rows; r += 1) {
    const lineNumber = r + rowsStart + 1;
    const cells = splitLine(lines[r + rowsStart] ?? '', delimiter);
    if (cells.length !== width) {
      throw new LabError('corrupt-file', `${file.display}: row ${lineNumber} has ${cells.length} cells, expected ${width}${hasHeader ? ' (as in the header)' : ' (as in row 1)'}`);
    }
    let f = 0;
    for (let c = 0; c < width; c += 1) {
      const cell = cells[c] ?? '';
      if (c === labelIndex) {
        rawLabels.push(cell);
        continue;
      }
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        throw new LabError('corrupt-file', `${file.display}: row ${lineNumber}, column ${columnName(c)}: '${cell.slice(0, 40)}' is not a number`);
      }
      values[r * features + f] = value;
      f += 1;
    }
  }
  const { labels, classNames } = encodeLabels(rawLabels, rows);
  if (labelIndex !== undefined) notes.push(`${file.display}: column ${columnName(labelIndex)} used as the label, ${classNames.length} classes`);
  return { ...layoutFor(features), samples: compactValues(values), labels, classNames };
}

/** Class names sorted numerically when they are numbers, alphabetically otherwise. */
export function encodeLabels(raw: string[], count: number): { labels: Int32Array; classNames: string[] } {
  if (raw.length === 0) return { labels: new Int32Array(count).fill(-1), classNames: [] };
  const unique = [...new Set(raw)];
  const numeric = unique.every(isNumber);
  unique.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const index = new Map(unique.map((name, i) => [name, i]));
  return { labels: Int32Array.from(raw, (r) => index.get(r) ?? -1), classNames: unique };
}

/** One CSV or TSV file of numeric rows. */
export const csvReader: DatasetReader = {
  format: 'csv',
  label: 'CSV',
  precedence: 20,
  claims: (file) => ['.csv', '.tsv'].includes(extensionOf(baseName(file))),
  read: (files, { options, skipped, notes }) => {
    const [first, ...rest] = files;
    for (const extra of rest) skipped.push({ file: extra.display, reason: 'only one CSV file is imported at a time' });
    return readCsv(first as SourceFile, options, notes);
  },
  nameSuffix: /\.csv$/i,
};
