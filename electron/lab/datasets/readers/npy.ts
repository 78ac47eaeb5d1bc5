import { LabError } from '../../../../shared/result.js';
import { baseName, extensionOf } from '../sources/sourceFile.js';
import { throwIfCancelled, type DatasetReader } from './datasetReader.js';
import { maybeGunzip, trailingDataError } from './gzip.js';
import { formatBytes, formatCount, importLimits, overLimit } from './limits.js';
import { samplesFromNamedArrays } from './namedArrays.js';
import { damagedFileError, refuseNonFinite } from './valueChecks.js';

export interface NpyArray {
  shape: number[];
  values: Float64Array | Uint8Array;
  dtype: string;
}

const dtypeNames: Record<string, string> = {
  c: 'complex', O: 'Python object', U: 'unicode string', S: 'byte string', V: 'structured/void', M: 'datetime', m: 'timedelta',
};

type Reader = (view: DataView, at: number) => number;

const readers: Record<string, { bytes: number; read: Reader }> = {
  b1: { bytes: 1, read: (v, a) => v.getUint8(a) },
  u1: { bytes: 1, read: (v, a) => v.getUint8(a) },
  i1: { bytes: 1, read: (v, a) => v.getInt8(a) },
  u2: { bytes: 2, read: (v, a) => v.getUint16(a, true) },
  i2: { bytes: 2, read: (v, a) => v.getInt16(a, true) },
  u4: { bytes: 4, read: (v, a) => v.getUint32(a, true) },
  i4: { bytes: 4, read: (v, a) => v.getInt32(a, true) },
  u8: { bytes: 8, read: (v, a) => Number(v.getBigUint64(a, true)) },
  i8: { bytes: 8, read: (v, a) => Number(v.getBigInt64(a, true)) },
  f4: { bytes: 4, read: (v, a) => v.getFloat32(a, true) },
  f8: { bytes: 8, read: (v, a) => v.getFloat64(a, true) },
};

interface NpyHeader {
  descr: string;
  code: string;
  shape: number[];
  /** Where the values start, and how many bytes they take. */
  dataStart: number;
  dataBytes: number;
}

/** Real headers are a few hundred bytes; a length field beyond this is damage, not a header. */
const maxHeaderBytes = 64 * 1024;
const npyMagic = Buffer.from('\x93NUMPY', 'latin1');

/** Header text as it can be shown: bytes outside printable ASCII as \\xNN. */
const visible = (text: string): string => text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const shapeText = (shape: readonly number[]): string => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * Reads and checks an .npy header before any value is touched: the shape must be whole
 * numbers of at least 1 and within the lab's limits. With `partial`, a prefix too short to
 * hold the header gives undefined (the first inflated bytes of a gzipped file).
 */
function readNpyHeader(bytes: Buffer, display: string, partial: boolean): NpyHeader | undefined {
  const short = (what: string): undefined => {
    if (partial) return undefined;
    throw new LabError('corrupt-file', `${display}: the .npy ${what} is cut short: the file ends after ${formatBytes(bytes.length)}`);
  };
  if (!bytes.subarray(0, 6).equals(npyMagic.subarray(0, Math.min(6, bytes.length)))) {
    throw new LabError('corrupt-file', `${display}: not a NumPy .npy file (missing \\x93NUMPY magic)`);
  }
  if (bytes.length < 8) return short('header');
  const major = bytes[6] ?? 0;
  if (major < 1 || major > 3) throw new LabError('unsupported-format', `${display}: .npy format version ${major}.${bytes[7] ?? 0} is not one the lab reads (1, 2 or 3)`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) return short('header');
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  if (headerLength > maxHeaderBytes) {
    throw new LabError('corrupt-file', `${display}: the .npy header length field says ${headerLength} bytes, far more than a header takes; the file is damaged`);
  }
  if (bytes.length < headerStart + headerLength) {
    if (partial) return undefined;
    throw new LabError('corrupt-file', `${display}: the .npy header is cut short: it declares ${headerLength} bytes, only ${bytes.length - headerStart} are in the file`);
  }
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeMatch === undefined) throw new LabError('corrupt-file', `${display}: .npy header is malformed: ${visible(header.trim().slice(0, 120))}`);
  const cells = shapeMatch.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (cells.length === 0) throw new LabError('unsupported-format', `${display}: shape () is a single value, not an array of samples`);
  const shape = cells.map((cell, axis) => {
    if (!/^\d+$/.test(cell)) {
      throw new LabError('corrupt-file', `${display}: shape (${visible(cells.join(', '))}): dimension ${axis + 1} is '${visible(cell.slice(0, 20))}', not a whole number; every dimension must be an integer of at least 1`);
    }
    const size = Number(cell);
    if (size < 1) throw new LabError('corrupt-file', `${display}: shape (${visible(cells.join(', '))}): dimension ${axis + 1} is 0, so the array holds no values; every dimension must be at least 1`);
    return size;
  });
  const order = descr[0] ?? '|';
  const code = descr.slice(1);
  const reader = readers[code];
  if (!reader) {
    const kind = dtypeNames[code[0] ?? ''] ?? code;
    throw new LabError('unsupported-format', `${display}: dtype '${visible(descr)}' (${visible(kind)}) is not supported; the lab reads bool, integer and float arrays`);
  }
  if (order === '>' && reader.bytes > 1) throw new LabError('unsupported-format', `${display}: big-endian dtype '${descr}' is not supported; save with '<${code}'`);
  if (fortran === 'True' && shape.length > 1) throw new LabError('unsupported-format', `${display}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > importLimits.maxValues) {
    throw new LabError('too-large', `${display}: shape ${shapeText(shape)} holds ${formatCount(count)} values, which ${overLimit(`${formatCount(importLimits.maxValues)} values`)}`);
  }
  return { descr, code, shape, dataStart: headerStart + headerLength, dataBytes: count * reader.bytes };
}

/** The whole size an .npy file declares, once its first bytes hold the header (for a bounded inflate). */
export const npyDeclaredSize = (head: Buffer, display: string): number | undefined => {
  const header = readNpyHeader(head, display, true);
  return header && header.dataStart + header.dataBytes;
};

/** Parses NumPy's .npy format (versions 1–3), little-endian numeric and bool dtypes, C order. */
export function parseNpy(bytes: Buffer, display: string): NpyArray {
  try {
    const { descr, code, shape, dataStart: start, dataBytes } = readNpyHeader(bytes, display, false) as NpyHeader;
    const reader = readers[code] as { bytes: number; read: Reader };
    if (bytes.length < start + dataBytes) {
      throw new LabError('corrupt-file', `${display}: data is truncated: shape ${shapeText(shape)} of ${descr} needs ${dataBytes} bytes after the header, ${bytes.length - start} present`);
    }
    if (bytes.length > start + dataBytes) throw trailingDataError(display, bytes.length - start - dataBytes, dataBytes, `its header declares (shape ${shapeText(shape)} of ${descr})`);
    const count = dataBytes / reader.bytes;
    if (code === 'u1' || code === 'b1') return { shape, dtype: descr, values: new Uint8Array(bytes.buffer, bytes.byteOffset + start, count) };
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, dataBytes);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i += 1) values[i] = reader.read(view, i * reader.bytes);
    if (code === 'f4' || code === 'f8') refuseNonFinite(values, shape, display);
    return { shape, dtype: descr, values };
  } catch (cause) {
    throw damagedFileError(display, 'NPY', cause);
  }
}

/** Gunzips an .npy.gz within what its header declares. */
export const npyBytes = async (bytes: Buffer, display: string): Promise<Buffer> =>
  maybeGunzip(bytes, display, { maxBytes: importLimits.maxFileBytes, limitText: `${formatBytes(importLimits.maxFileBytes)} for one file`, declaredSize: (head) => npyDeclaredSize(head, display) });

/** NumPy .npy files, each array named by its file name (x.npy, y.npy). */
export const npyReader: DatasetReader = {
  format: 'npy',
  label: 'NPY',
  precedence: 30,
  claims: (file) => extensionOf(baseName(file)) === '.npy',
  read: async (files, { notes, signal }) => {
    const arrays = new Map<string, NpyArray>();
    for (const file of files) {
      throwIfCancelled(signal);
      const bytes = await npyBytes(await file.read(), file.display);
      if (bytes.length === 0) throw new LabError('corrupt-file', `${file.display}: empty file (0 bytes)`);
      arrays.set(baseName(file).replace(/\.npy(\.gz)?$/i, ''), parseNpy(bytes, file.display));
    }
    return samplesFromNamedArrays(arrays, files.length === 1 ? (files[0]?.display ?? '') : files.map((f) => baseName(f)).join(' + '), notes);
  },
  nameSuffix: /\.npy$/i,
};
