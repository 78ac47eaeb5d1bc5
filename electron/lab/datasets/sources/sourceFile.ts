/** One input file, wherever it came from: the disk, an upload or a ZIP entry. */
export interface SourceFile {
  /** How messages name it: an absolute path, an uploaded path, or `archive.zip › entry`. */
  display: string;
  /** Path segments relative to what was dropped, first segment the dropped item's own name. */
  segments: string[];
  size: number;
  read(): Promise<Buffer>;
}

export const baseName = (file: SourceFile): string => file.segments[file.segments.length - 1] ?? file.display;

/** Lower-case extension without a trailing .gz, e.g. 'train-images-idx3-ubyte.gz' → '' and 'x.csv.gz' → '.csv'. */
export function extensionOf(name: string): string {
  const plain = name.toLowerCase().replace(/\.gz$/, '');
  const dot = plain.lastIndexOf('.');
  return dot > 0 ? plain.slice(dot) : '';
}

/** Files an OS or archiver leaves behind; ignored without a report. */
export function isSystemClutter(segments: string[]): boolean {
  return segments.some((s) => s.startsWith('.') || s === '__MACOSX' || s === 'Thumbs.db' || s === 'desktop.ini');
}
