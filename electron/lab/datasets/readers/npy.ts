import { LabError } from '../../../../shared/result.js';
import { baseName, extensionOf } from '../sources/sourceFile.js';
import type { DatasetReader } from './datasetReader.js';
import { maybeGunzip } from './gzip.js';
import { samplesFromNamedArrays } from './namedArrays.js';

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

/** Parses NumPy's .npy format (versions 1–3), little-endian numeric and bool dtypes, C order. */
export function parseNpy(bytes: Buffer, display: string): NpyArray {
  if (bytes.length < 10 || bytes[0] !== 0x93 || bytes.toString('latin1', 1, 6) !== 'NUMPY') {
    throw new LabError('corrupt-file', `${display}: not a NumPy .npy file (missing \\x93NUMPY magic)`);
  }
  const major = bytes[6] ?? 0;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new LabError('corrupt-file', `${display}: .npy header is malformed: ${header.trim().slice(0, 120)}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const order = descr[0] ?? '|';
  const code = descr.slice(1);
  const reader = readers[code];
  if (!reader) {
    const kind = dtypeNames[code[0] ?? ''] ?? code;
    throw new LabError('unsupported-format', `${display}: dtype '${descr}' (${kind}) is not supported; the lab reads bool, integer and float arrays`);
  }
  if (order === '>' && reader.bytes > 1) throw new LabError('unsupported-format', `${display}: big-endian dtype '${descr}' is not supported; save with '<${code}'`);
  if (fortran === 'True' && shape.length > 1) throw new LabError('unsupported-format', `${display}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  if (bytes.length < start + count * reader.bytes) {
    throw new LabError('corrupt-file', `${display}: data is truncated: shape (${shape.join(', ')}) of ${descr} needs ${count * reader.bytes} bytes, ${bytes.length - start} present`);
  }
  if (code === 'u1' || code === 'b1') return { shape, dtype: descr, values: new Uint8Array(bytes.buffer, bytes.byteOffset + start, count) };
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * reader.bytes);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i += 1) values[i] = reader.read(view, i * reader.bytes);
  return { shape, dtype: descr, values };
}

/** NumPy .npy files, each array named by its file name (x.npy, y.npy). */
export const npyReader: DatasetReader = {
  format: 'npy',
  label: 'NPY',
  precedence: 30,
  claims: (file) => extensionOf(baseName(file)) === '.npy',
  read: async (files, { notes }) => {
    const arrays = new Map<string, NpyArray>();
    for (const file of files) {
      const bytes = await maybeGunzip(await file.read(), file.display);
      if (bytes.length === 0) throw new LabError('corrupt-file', `${file.display}: empty file (0 bytes)`);
      arrays.set(baseName(file).replace(/\.npy(\.gz)?$/i, ''), parseNpy(bytes, file.display));
    }
    return samplesFromNamedArrays(arrays, files.length === 1 ? (files[0]?.display ?? '') : files.map((f) => baseName(f)).join(' + '), notes);
  },
  nameSuffix: /\.npy$/i,
};
