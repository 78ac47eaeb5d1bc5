import type { ImportOptions, ImportProgress, SkippedFile, SourceFormat } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import type { ReadSamples } from '../../../format/datasets/datasetData.js';
import type { SourceFile } from '../sources/sourceFile.js';

export type ProgressSink = (phase: ImportProgress['phase'], done: number, total: number, message: string) => void;

/** What a reader gets besides its files; it adds to `skipped` and `notes` as it goes. */
export interface ReadContext {
  options: ImportOptions;
  /** Files the reader passes over, with the reason; the import goes on without them. */
  skipped: SkippedFile[];
  /** Things the user should know that are not failures. */
  notes: string[];
  progress: ProgressSink;
  /** Aborted when the user cancels the import; a reader checks it between files. */
  signal?: AbortSignal;
}

/** Throws the cancellation (a LabError 'cancelled') once the import's signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof LabError ? signal.reason : new LabError('cancelled', 'The import was cancelled; nothing was stored');
}

/** One file format the importer reads. Registered once, in registry.ts. */
export interface DatasetReader {
  /** The format a dataset read by this reader records. */
  format: SourceFormat;
  /** The format recorded instead when the files came out of one dropped ZIP archive. */
  zipFormat?: SourceFormat;
  /** How messages name the files it reads: 'Reading 3 image files', 'none of the files is an IDX … file'. */
  label: string;
  /** When a drop holds files of several formats, the reader with the highest precedence reads and the others' files are skipped. */
  precedence: number;
  /** Whether this reader reads the file, judged by its name alone (the content is read later). */
  claims(file: SourceFile): boolean;
  /** Reads every file it claimed into samples; throws a LabError naming the file when the data cannot be used at all. */
  read(files: SourceFile[], context: ReadContext): Promise<ReadSamples>;
  /** What at the end of a file name names this format rather than the data ('.csv'), left out of a suggested dataset name. */
  nameSuffix?: RegExp;
  /** The dataset name several dropped items suggest when they are files of this format that belong together; `stem` is a name without its suffix. */
  nameOfSeveral?(names: readonly string[], stem: (name: string) => string): string | undefined;
}
