import { createHash } from 'node:crypto';
import type { SkippedFile } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import type { ReadSamples } from '../../../format/datasets/datasetData.js';
import { baseName, type SourceFile } from '../sources/sourceFile.js';
import { throwIfCancelled, type DatasetReader } from './datasetReader.js';
import { maybeGunzip, trailingDataError } from './gzip.js';
import { formatBytes, formatCount, importLimits, overLimit } from './limits.js';
import { damagedFileError, refuseNonFinite } from './valueChecks.js';

/** IDX element types (the MNIST format): code → bytes and big-endian reader. */
const idxTypes: Record<number, { name: string; bytes: number; read: (view: DataView, at: number) => number }> = {
  0x08: { name: 'unsigned byte', bytes: 1, read: (v, a) => v.getUint8(a) },
  0x09: { name: 'signed byte', bytes: 1, read: (v, a) => v.getInt8(a) },
  0x0b: { name: 'short', bytes: 2, read: (v, a) => v.getInt16(a) },
  0x0c: { name: 'int', bytes: 4, read: (v, a) => v.getInt32(a) },
  0x0d: { name: 'float', bytes: 4, read: (v, a) => v.getFloat32(a) },
  0x0e: { name: 'double', bytes: 8, read: (v, a) => v.getFloat64(a) },
};

export interface IdxArray {
  dims: number[];
  /** Unsigned bytes stay bytes; every other type becomes float32. */
  values: Uint8Array | Float32Array;
}

const looksLikeIdxName = (name: string): boolean => /idx\d+-u?byte|\.idx\d?(\.gz)?$/i.test(name);

interface IdxHeader {
  magic: string;
  type: { name: string; bytes: number; read: (view: DataView, at: number) => number };
  dims: number[];
  dataStart: number;
  dataBytes: number;
}

/**
 * Reads and checks an IDX header before any value is touched; every message names the
 * magic number found, since a wrong magic is what makes the dimensions wrong. With
 * `partial`, a prefix too short to hold the header gives undefined (while inflating).
 */
function readIdxHeader(bytes: Buffer, display: string, partial: boolean): IdxHeader | undefined {
  if (bytes.length < 4) {
    if (partial) return undefined;
    throw new LabError('corrupt-file', `${display}: too short to be an IDX file (${bytes.length} bytes)`);
  }
  const magic = `0x${bytes.subarray(0, 4).toString('hex')}`;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new LabError('corrupt-file', `${display}: wrong IDX magic number ${magic} (expected 0x0000 then type and rank, e.g. 0x00000803)`);
  }
  const type = idxTypes[bytes[2] ?? 0];
  if (!type) throw new LabError('unsupported-format', `${display}: IDX magic number ${magic} names element type 0x${(bytes[2] ?? 0).toString(16).padStart(2, '0')}, which the format does not define`);
  const rank = bytes[3] ?? 0;
  if (rank === 0 || rank > 4) throw new LabError('corrupt-file', `${display}: IDX magic number ${magic} declares ${rank} dimensions; the lab reads 1 (labels) to 4 (images with channels)`);
  const dataStart = 4 + rank * 4;
  if (bytes.length < dataStart) {
    if (partial) return undefined;
    throw new LabError('corrupt-file', `${display}: IDX header declares ${rank} dimensions (magic number ${magic}) but the file ends after ${bytes.length} bytes`);
  }
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + i * 4));
  if (dims.some((d) => d === 0)) {
    throw new LabError('corrupt-file', `${display}: IDX magic number ${magic} gives dimensions ${dims.join('×')}; a dimension of 0 means the magic number or the header is wrong`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > importLimits.maxValues) {
    throw new LabError('too-large', `${display}: IDX dimensions ${dims.join('×')} are ${formatCount(count)} values, which ${overLimit(`${formatCount(importLimits.maxValues)} values`)}`);
  }
  if ((dims[0] ?? 0) > importLimits.maxSamples) {
    throw new LabError('too-large', `${display}: IDX dimensions ${dims.join('×')} are ${formatCount(dims[0] ?? 0)} samples, which ${overLimit(`${formatCount(importLimits.maxSamples)} samples`)}`);
  }
  return { magic, type, dims, dataStart, dataBytes: count * type.bytes };
}

/** The whole size an IDX file declares, once its first bytes hold the header (for a bounded inflate). */
export const idxDeclaredSize = (head: Buffer, display: string): number | undefined => {
  const header = readIdxHeader(head, display, true);
  return header && header.dataStart + header.dataBytes;
};

export function parseIdx(bytes: Buffer, display: string): IdxArray {
  try {
    const { magic, type, dims, dataStart: start, dataBytes } = readIdxHeader(bytes, display, false) as IdxHeader;
    const expected = start + dataBytes;
    if (bytes.length < expected) {
      throw new LabError('corrupt-file', `${display}: IDX data is truncated: magic number ${magic} and dimensions ${dims.join('×')} need ${expected} bytes, the file has ${bytes.length}`);
    }
    if (bytes.length > expected) throw trailingDataError(display, bytes.length - expected, dataBytes, `IDX magic number ${magic} and dimensions ${dims.join('×')} declare`);
    const count = dataBytes / type.bytes;
    if (type.bytes === 1 && bytes[2] === 0x08) return { dims, values: new Uint8Array(bytes.buffer, bytes.byteOffset + start, count) };
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, dataBytes);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i += 1) values[i] = type.read(view, i * type.bytes);
    refuseNonFinite(values, dims, display);
    return { dims, values };
  } catch (cause) {
    throw damagedFileError(display, 'IDX', cause);
  }
}

/** Gunzips an IDX .gz within what its header declares. */
const idxBytes = (bytes: Buffer, display: string): Promise<Buffer> =>
  maybeGunzip(bytes, display, { maxBytes: importLimits.maxFileBytes, limitText: `${formatBytes(importLimits.maxFileBytes)} for one file`, declaredSize: (head) => idxDeclaredSize(head, display) });

const fashionMnist = {
  name: 'Fashion-MNIST',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  /** SHA-256 of the uncompressed label files, so that the files are recognised whatever they are called. */
  labelHashes: new Set([
    '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  ]),
};

interface Pair {
  images: { file: SourceFile; array: IdxArray };
  labels?: { file: SourceFile; array: IdxArray };
}

const pairKey = (name: string): string => name.toLowerCase().replace(/\.gz$/, '').replace(/images?|labels?/g, '*').replace(/idx\d/, 'idx');

/** IDX files paired images ↔ labels by name; `t10k`/`test` pairs become the test split. */
export async function readIdxFiles(files: SourceFile[], skipped: SkippedFile[], notes: string[], signal?: AbortSignal): Promise<ReadSamples> {
  const arrays: Array<{ file: SourceFile; array: IdxArray }> = [];
  let known = false;
  for (const file of files) {
    throwIfCancelled(signal);
    try {
      const bytes = await idxBytes(await file.read(), file.display);
      if (bytes.length === 0) throw new LabError('corrupt-file', `${file.display}: empty file (0 bytes)`);
      const array = parseIdx(bytes, file.display);
      if (array.dims.length === 1 && fashionMnist.labelHashes.has(createHash('sha256').update(bytes).digest('hex'))) known = true;
      arrays.push({ file, array });
    } catch (cause) {
      if (!(cause instanceof LabError)) throw cause;
      if (files.length === 1) throw cause;
      skipped.push({ file: file.display, reason: cause.message.replace(`${file.display}: `, '') });
    }
  }
  const imageArrays = arrays.filter((a) => a.array.dims.length >= 2);
  const labelArrays = arrays.filter((a) => a.array.dims.length === 1);
  if (imageArrays.length === 0) throw new LabError('empty-input', 'No IDX image file (rank 2 or more) among the files');
  const pairs: Pair[] = imageArrays.map((images) => {
    const key = pairKey(baseName(images.file));
    const labels = labelArrays.find((l) => pairKey(baseName(l.file)) === key) ?? (imageArrays.length === 1 && labelArrays.length === 1 ? labelArrays[0] : undefined);
    return labels ? { images, labels } : { images };
  });
  const first = pairs[0] as Pair;
  const [, h = 1, w = 1, c = 1] = first.images.array.dims;
  const perSample = h * w * c;
  let total = 0;
  for (const pair of pairs) {
    const [n = 0, ph = 1, pw = 1, pc = 1] = pair.images.array.dims;
    if (ph * pw * pc !== perSample || ph !== h) {
      throw new LabError('invalid-option', `${pair.images.file.display}: images are ${pair.images.array.dims.slice(1).join('×')}, but ${first.images.file.display} has ${h}×${w}`);
    }
    if (pair.labels && pair.labels.array.dims[0] !== n) {
      throw new LabError(
        'corrupt-file',
        `${pair.images.file.display} has ${n} images but ${pair.labels.file.display} has ${pair.labels.array.dims[0]} labels`,
      );
    }
    if (!pair.labels) notes.push(`${baseName(pair.images.file)}: no matching labels file, so its samples are unlabeled`);
    total += n;
  }
  if (total > importLimits.maxSamples || total * perSample > importLimits.maxValues) {
    const limit = total > importLimits.maxSamples ? `${formatCount(importLimits.maxSamples)} samples` : `${formatCount(importLimits.maxValues)} values`;
    throw new LabError('too-large', `${first.images.file.display}: the IDX files hold ${formatCount(total)} images of ${formatCount(perSample)} values, which ${overLimit(limit)}`);
  }
  const floats = pairs.some((p) => p.images.array.values instanceof Float32Array);
  const samples = floats ? new Float32Array(total * perSample) : new Uint8Array(total * perSample);
  const labels = new Int32Array(total).fill(-1);
  const predefinedTest = new Uint8Array(total);
  let at = 0;
  for (const pair of pairs) {
    const n = pair.images.array.dims[0] ?? 0;
    samples.set(pair.images.array.values, at * perSample);
    if (pair.labels) labels.set(Int32Array.from(pair.labels.array.values, Math.round), at);
    if (/^(t10k|test)/i.test(baseName(pair.images.file))) predefinedTest.fill(1, at, at + n);
    at += n;
  }
  const distinct = [...new Set(labels)].filter((l) => l >= 0);
  if (distinct.some((l) => l > 10_000)) throw new LabError('corrupt-file', `${first.labels?.file.display ?? 'labels'}: label values up to ${Math.max(...distinct)} do not look like class indices`);
  const hasTest = predefinedTest.some((v) => v === 1) && predefinedTest.some((v) => v === 0);
  const max = Math.max(-1, ...distinct);
  const result: ReadSamples = {
    kind: 'image',
    shape: [h, w, c],
    samples,
    labels,
    classNames: known && max <= 9 ? fashionMnist.classNames : Array.from({ length: max + 1 }, (_, i) => String(i)),
    ...(known ? { suggestedName: fashionMnist.name } : {}),
  };
  return hasTest ? { ...result, predefinedTest } : result;
}

/** MNIST-style IDX files, images paired with their labels. */
export const idxReader: DatasetReader = {
  format: 'idx',
  label: 'IDX',
  // Highest, so it claims first: an IDX name ('…-idx3-ubyte') is unmistakable whatever extension follows it.
  precedence: 50,
  claims: (file) => looksLikeIdxName(baseName(file)),
  read: (files, { skipped, notes, signal }) => readIdxFiles(files, skipped, notes, signal),
  nameSuffix: /[-_.]?(images?-)?idx\d-ubyte(\.gz|\.zip)?$/i,
  // 'train-images-idx3-ubyte.gz' and 't10k-…' dropped together name one dataset.
  nameOfSeveral: (names, stem) => {
    const idx = names.find((n) => /idx\d-ubyte/i.test(n));
    return idx === undefined ? undefined : stem(idx).replace(/^(train|t10k|test)[-_]?/i, '') || 'idx dataset';
  },
};
