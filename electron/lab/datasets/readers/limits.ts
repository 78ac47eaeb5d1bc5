/**
 * The sizes an import may reach, in one place. Every reader checks what a header declares
 * against these before it allocates or inflates anything, so a small file that claims to
 * be huge (a decompression bomb) is refused at once; messages say "exceeds the lab's
 * limit of …" with the figure from here.
 */
export const importLimits = {
  /** One file read into memory: Node reads at most 2 GiB at once. */
  maxFileBytes: 2 * 1024 ** 3,
  /** A CSV is parsed as one JavaScript string, which holds at most 0x1fffffe8 characters. */
  maxCsvBytes: 0x1fffffe8,
  /** Samples in one dataset. */
  maxSamples: 10_000_000,
  /** Pixels of one decoded image (10000×10000); larger images are refused before decoding. */
  maxPixelsPerImage: 100_000_000,
  /** Values (samples × features) in one dataset: 1 GiB as float32. */
  maxValues: 2 ** 28,
  /** Gzipped data past what its header declares is counted up to this much for the message, then inflating stops. */
  trailingCountBytes: 64 * 1024 ** 2,
} as const;

/** '2 GiB', '512 MiB', '1.5 KiB', '12 bytes'. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const shown = Math.round(value * 10) / 10;
  return `${Number.isInteger(shown) ? shown : shown.toFixed(1)} ${units[unit] ?? ''}`;
}

/** '268,435,456'. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "exceeds the lab's limit of 2 GiB for one file" and the like. */
export const overLimit = (limit: string): string => `exceeds the lab's limit of ${limit}`;
