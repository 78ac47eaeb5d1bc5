import type { FileHandle } from 'node:fs/promises';
import { LabError } from '../../../shared/result.js';
import type { DatasetData, SampleShape, ValueTransform } from './datasetData.js';

/** The stored dataset: one file, `AELABDS1`, a JSON header, then 8-aligned sections. */
export const magic = Buffer.from('AELABDS1', 'ascii');

export interface Section {
  offset: number;
  byteLength: number;
}

export interface DatasetHeader {
  version: 1;
  format: DatasetData['format'];
  source: string;
  kind: DatasetData['kind'];
  shape: SampleShape;
  dtype: 'uint8' | 'float32';
  count: number;
  transform: ValueTransform;
  classNames: string[];
  factorNames: string[];
  contentHash: string;
  createdAt: string;
  stats: DatasetStats;
  sections: { samples: Section; labels: Section; splits: Section; factors?: Section };
}

const align8 = (n: number): number => (n + 7) & ~7;

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Lays out header and sections; returns the parts to write in order. */
export interface DatasetStats {
  splits: { train: number; validation: number; test: number };
  classCounts: number[];
  unlabeled: number;
}

export function datasetStats(data: DatasetData): DatasetStats {
  const splits = { train: 0, validation: 0, test: 0 };
  const names = ['train', 'validation', 'test'] as const;
  for (const code of data.splits) splits[names[code] ?? 'train'] += 1;
  const classCounts = new Array<number>(data.classNames.length).fill(0);
  let unlabeled = 0;
  for (const label of data.labels) {
    if (label >= 0 && label < classCounts.length) classCounts[label] = (classCounts[label] ?? 0) + 1;
    else unlabeled += 1;
  }
  return { splits, classCounts, unlabeled };
}

export function encodeDataset(data: DatasetData, contentHash: string, createdAt: string): Uint8Array[] {
  const arrays: Array<[keyof DatasetHeader['sections'], Uint8Array]> = [
    ['samples', bytesOf(data.samples)],
    ['labels', bytesOf(data.labels)],
    ['splits', data.splits],
  ];
  if (data.factors) arrays.push(['factors', bytesOf(data.factors.values)]);
  const sections: Partial<DatasetHeader['sections']> = {};
  let offset = 0;
  for (const [name, bytes] of arrays) {
    sections[name] = { offset, byteLength: bytes.byteLength };
    offset = align8(offset + bytes.byteLength);
  }
  const header: DatasetHeader = {
    version: 1,
    format: data.format,
    source: data.source,
    kind: data.kind,
    shape: data.shape,
    dtype: data.samples instanceof Uint8Array ? 'uint8' : 'float32',
    count: data.labels.length,
    transform: data.transform,
    classNames: data.classNames,
    factorNames: data.factors?.names ?? [],
    contentHash,
    createdAt,
    stats: datasetStats(data),
    sections: sections as DatasetHeader['sections'],
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(align8(magic.length + 4 + json.length));
  magic.copy(lead, 0);
  lead.writeUInt32LE(json.length, magic.length);
  json.copy(lead, magic.length + 4);
  const parts: Uint8Array[] = [lead];
  let written = 0;
  for (const [, bytes] of arrays) {
    parts.push(bytes);
    const padded = align8(written + bytes.byteLength);
    if (padded > written + bytes.byteLength) parts.push(new Uint8Array(padded - written - bytes.byteLength));
    written = padded;
  }
  return parts;
}

/** Reads the header and where the sections start, without reading the sections. */
export async function readHeader(handle: FileHandle, file: string): Promise<{ header: DatasetHeader; dataStart: number }> {
  const lead = Buffer.alloc(magic.length + 4);
  const { bytesRead: leadRead } = await handle.read(lead, 0, lead.length, 0);
  if (leadRead < lead.length || !lead.subarray(0, magic.length).equals(magic)) {
    throw new LabError('corrupt-file', `${file}: not an Autoencoder Lab dataset file (bad magic)`);
  }
  const jsonLength = lead.readUInt32LE(magic.length);
  // A damaged length field must not make us allocate gigabytes before noticing.
  const { size } = await handle.stat();
  if (lead.length + jsonLength > size) throw new LabError('corrupt-file', `${file}: the header says it is ${jsonLength} bytes long, longer than the file (${size} bytes); the header is damaged or the file was cut short`);
  const json = Buffer.alloc(jsonLength);
  const { bytesRead } = await handle.read(json, 0, jsonLength, lead.length);
  if (bytesRead !== jsonLength) throw new LabError('corrupt-file', `${file}: header is truncated`);
  let header: DatasetHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as DatasetHeader;
  } catch (cause) {
    throw new LabError('corrupt-file', `${file}: the header is not valid JSON (${(cause as Error).message})`);
  }
  return { header, dataStart: align8(lead.length + jsonLength) };
}

export async function readSection(handle: FileHandle, dataStart: number, section: Section, start = 0, byteLength = section.byteLength): Promise<Buffer> {
  const buffer = Buffer.alloc(byteLength);
  await handle.read(buffer, 0, byteLength, dataStart + section.offset + start);
  return buffer;
}
