import type { ImportOptions, SkippedFile } from '../../../shared/domain/dataset.js';
import { LabError } from '../../../shared/result.js';
import { splitCode, type DatasetData, type ReadSamples } from '../../format/datasets/datasetData.js';
import { throwIfCancelled, type DatasetReader, type ProgressSink } from './readers/datasetReader.js';
import { transformFor } from './readers/numericSamples.js';
import { datasetReaders } from './readers/registry.js';
import type { CollectedSources } from './sources/collectSources.js';
import { baseName, extensionOf, type SourceFile } from './sources/sourceFile.js';
import { assignItemSplits, assignSplits } from './split.js';

export type { ProgressSink } from './readers/datasetReader.js';

export interface ImportOutcome {
  data: DatasetData;
  /** The name to give the dataset when the user gave none. */
  name: string;
  skipped: SkippedFile[];
  notes: string[];
}

/** 'image, IDX, CSV or NPY', with the article the first name takes. */
function listOfLabels(readers: readonly DatasetReader[]): string {
  const labels = readers.map((r) => r.label);
  const last = labels.pop();
  const list = labels.length === 0 ? (last ?? '') : `${labels.join(', ')} or ${last ?? ''}`;
  return `${/^[aeiou]/i.test(list) ? 'an' : 'a'} ${list}`;
}

/**
 * Each sample's split. Samples cut from one source item (patches of a photograph) share the
 * item's split where there are items enough to give every split one; with fewer the patches
 * are split one by one, and the note says what that means.
 */
function splitsOf(read: ReadSamples, options: ImportOptions, notes: string[]): Uint8Array {
  if (read.sourceItems) {
    const byItem = assignItemSplits(read.sourceItems, options);
    const lacks = (fraction: number, code: number): boolean => fraction > 0 && !byItem.includes(code);
    if (!lacks(options.testFraction, splitCode.test) && !lacks(options.validationFraction, splitCode.validation)) {
      notes.push('Patches of one image share its split: no image has patches in both training and test');
      return byItem;
    }
    notes.push('Too few images to give each split whole images: the patches are split one by one, so patches of one image (neighbours, or overlapping ones where the stride is below the patch size) are in training and test alike');
  }
  return assignSplits(read.labels.length, options, read.predefinedTest);
}

/**
 * Turns the dropped files into one dataset: picks the reader, reads, splits and scales.
 * `readers` is the registry; the importer knows no format by name. Aborting `signal`
 * stops the import between files with a 'cancelled' LabError; nothing is written here,
 * so a cancelled import leaves nothing behind.
 */
export async function importSources(
  collected: CollectedSources,
  options: ImportOptions,
  progress: ProgressSink,
  readers: readonly DatasetReader[] = datasetReaders,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  throwIfCancelled(signal);
  const skipped = [...collected.skipped];
  const notes: string[] = [];
  const byPrecedence = [...readers].sort((a, b) => b.precedence - a.precedence);
  const byReader = new Map<DatasetReader, SourceFile[]>();
  for (const file of collected.files) {
    const reader = byPrecedence.find((r) => r.claims(file));
    if (reader === undefined) {
      const extension = extensionOf(baseName(file));
      skipped.push({ file: file.display, reason: `unsupported file type${extension ? ` '${extension}'` : ''}` });
      continue;
    }
    byReader.set(reader, [...(byReader.get(reader) ?? []), file]);
  }
  const chosen = byPrecedence.find((r) => byReader.has(r));
  if (chosen === undefined) {
    const what = collected.files.length === 0 ? 'nothing to import (empty folder or archive)' : `none of the files is ${listOfLabels(readers)} file`;
    throw new LabError('empty-input', `${collected.suggestedName}: ${what}`);
  }
  for (const [reader, files] of byReader) {
    if (reader !== chosen) for (const file of files) skipped.push({ file: file.display, reason: `not used: this import reads the ${chosen.label.toUpperCase()} files` });
  }
  // Refused rather than ignored: the user asked for patches and would get whole samples.
  if (options.patches && chosen.format !== 'images') throw new LabError('invalid-option', `${collected.suggestedName}: cutting into patches applies to image files; these are ${chosen.label} files (import them without --patches / "cut into patches")`);
  const files = byReader.get(chosen) ?? [];
  progress('reading', 0, files.length, `Reading ${files.length} ${chosen.label} file${files.length === 1 ? '' : 's'}`);
  const read = await chosen.read(files, { options, skipped, notes, progress, ...(signal ? { signal } : {}) });
  throwIfCancelled(signal);
  if (read.labels.length === 0) throw new LabError('empty-input', `${collected.suggestedName}: no samples`);
  const transform = transformFor(read.samples, options.scaling, notes);
  const splits = splitsOf(read, options, notes);
  if (read.predefinedTest) notes.push('The source defines a test set; it is kept as the test split');
  const data: DatasetData = {
    format: collected.fromZip ? (chosen.zipFormat ?? chosen.format) : chosen.format,
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

/** The folder the files share, or the first file's name and how many others. */
function commonSource(files: SourceFile[]): string {
  const paths = files.map((f) => f.display);
  let prefix = paths[0] ?? '';
  for (const p of paths) while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const folder = prefix.slice(0, Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\')));
  return folder !== '' ? folder : `${paths[0] ?? ''} and ${paths.length - 1} more`;
}
