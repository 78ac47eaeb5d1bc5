import type { ImportOptions, ImportProgress, SkippedFile } from '../../../shared/domain/dataset.js';
import { LabError } from '../../../shared/result.js';
import type { DatasetData, ReadSamples } from '../../format/datasets/datasetData.js';
import { readCsv } from './readers/csv.js';
import { maybeGunzip } from './readers/gzip.js';
import { looksLikeIdxName, readIdxFiles } from './readers/idx.js';
import { imageExtensions, readImageFiles } from './readers/imageFiles.js';
import { samplesFromNamedArrays } from './readers/namedArrays.js';
import { parseNpy, type NpyArray } from './readers/npy.js';
import { transformFor } from './readers/numericSamples.js';
import type { CollectedSources } from './sources/collectSources.js';
import { baseName, extensionOf, type SourceFile } from './sources/sourceFile.js';
import { zipSources } from './sources/zipArchive.js';
import { assignSplits } from './split.js';

type Kind = 'image' | 'idx' | 'csv' | 'npy' | 'npz';

function kindOf(file: SourceFile): Kind | undefined {
  const name = baseName(file);
  if (looksLikeIdxName(name)) return 'idx';
  const ext = extensionOf(name);
  if (imageExtensions.has(ext)) return 'image';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.npy') return 'npy';
  if (ext === '.npz') return 'npz';
  return undefined;
}

export type ProgressSink = (phase: ImportProgress['phase'], done: number, total: number, message: string) => void;

export interface ImportOutcome {
  data: DatasetData;
  /** The name to give the dataset when the user gave none. */
  name: string;
  skipped: SkippedFile[];
  notes: string[];
}

/** Turns the dropped files into one dataset: picks the reader, reads, splits and scales. */
export async function importSources(collected: CollectedSources, options: ImportOptions, progress: ProgressSink): Promise<ImportOutcome> {
  const skipped = [...collected.skipped];
  const notes: string[] = [];
  const byKind = new Map<Kind, SourceFile[]>();
  for (const file of collected.files) {
    const kind = kindOf(file);
    if (kind === undefined) {
      skipped.push({ file: file.display, reason: `unsupported file type${extensionOf(baseName(file)) ? ` '${extensionOf(baseName(file))}'` : ''}` });
      continue;
    }
    byKind.set(kind, [...(byKind.get(kind) ?? []), file]);
  }
  const chosen = (['idx', 'npz', 'npy', 'csv', 'image'] as const).find((k) => byKind.has(k));
  if (chosen === undefined) {
    const what = collected.files.length === 0 ? 'nothing to import (empty folder or archive)' : 'none of the files is an image, IDX, CSV, NPY or NPZ file';
    throw new LabError('empty-input', `${collected.suggestedName}: ${what}`);
  }
  for (const [kind, files] of byKind) {
    if (kind !== chosen && !(chosen === 'npy' && kind === 'npz')) {
      for (const file of files) skipped.push({ file: file.display, reason: `not used: this import reads the ${chosen.toUpperCase()} files` });
    }
  }
  const files = byKind.get(chosen) ?? [];
  progress('reading', 0, files.length, `Reading ${files.length} ${chosen === 'image' ? 'image' : chosen.toUpperCase()} file${files.length === 1 ? '' : 's'}`);
  const read = await readKind(chosen, files, options, skipped, notes, progress);
  if (read.labels.length === 0) throw new LabError('empty-input', `${collected.suggestedName}: no samples`);
  const transform = transformFor(read.samples, options.scaling, notes);
  const splits = assignSplits(read.labels.length, options, read.predefinedTest);
  if (read.predefinedTest) notes.push('The source defines a test set; it is kept as the test split');
  const format = collected.fromZip && chosen === 'image' ? 'zip' : chosen === 'image' ? 'images' : chosen;
  const data: DatasetData = {
    format,
    source: collected.files.length === 1 ? (collected.files[0]?.display ?? '') : commonSource(collected.files),
    kind: read.kind,
    shape: read.shape,
    samples: read.samples,
    labels: read.labels,
    classNames: read.classNames,
    splits,
    transform,
  };
  return { data: read.factors ? { ...data, factors: read.factors } : data, name: read.suggestedName ?? collected.suggestedName, skipped, notes };
}

async function readKind(kind: Kind, files: SourceFile[], options: ImportOptions, skipped: SkippedFile[], notes: string[], progress: ProgressSink): Promise<ReadSamples> {
  switch (kind) {
    case 'image':
      return readImageFiles(files, options, skipped, notes, (done, total) => progress('decoding', done, total, `Decoded ${done} of ${total} images`));
    case 'idx':
      return readIdxFiles(files, skipped, notes);
    case 'csv': {
      const [first, ...rest] = files;
      for (const extra of rest) skipped.push({ file: extra.display, reason: 'only one CSV file is imported at a time' });
      return readCsv(first as SourceFile, options, notes);
    }
    case 'npz': {
      const [first, ...rest] = files;
      for (const extra of rest) skipped.push({ file: extra.display, reason: 'only one NPZ archive is imported at a time' });
      const archive = first as SourceFile;
      const arrays = new Map<string, NpyArray>();
      for (const member of await zipSources(archive)) {
        const name = baseName(member).replace(/\.npy$/i, '');
        arrays.set(name, parseNpy(await member.read(), member.display));
      }
      return samplesFromNamedArrays(arrays, archive.display, notes);
    }
    case 'npy': {
      const arrays = new Map<string, NpyArray>();
      for (const file of files) {
        const bytes = await maybeGunzip(await file.read(), file.display);
        if (bytes.length === 0) throw new LabError('corrupt-file', `${file.display}: empty file (0 bytes)`);
        arrays.set(baseName(file).replace(/\.npy(\.gz)?$/i, ''), parseNpy(bytes, file.display));
      }
      return samplesFromNamedArrays(arrays, files.length === 1 ? (files[0]?.display ?? '') : files.map((f) => baseName(f)).join(' + '), notes);
    }
  }
}

/** The folder the files share, or the first file's name and how many others. */
function commonSource(files: SourceFile[]): string {
  const paths = files.map((f) => f.display);
  let prefix = paths[0] ?? '';
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const folder = prefix.slice(0, Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\')));
  return folder !== '' ? folder : `${paths[0] ?? ''} and ${paths.length - 1} more`;
}
