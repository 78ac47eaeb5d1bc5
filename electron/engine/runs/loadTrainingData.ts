import { open } from 'node:fs/promises';
import { readHeader, readSection, type DatasetHeader } from '../../format/datasets/binaryFormat.js';
import { splitCode } from '../../format/datasets/datasetData.js';
import type { TrainingData } from '../training/trainingData.js';

/** The engine reads the dataset from the workspace itself: nothing large crosses the process boundary. */
export async function loadTrainingData(file: string): Promise<{ data: TrainingData; header: DatasetHeader }> {
  const handle = await open(file, 'r');
  try {
    const { header, dataStart } = await readHeader(handle, file);
    const samplesBytes = await readSection(handle, dataStart, header.sections.samples);
    const labelBytes = await readSection(handle, dataStart, header.sections.labels);
    const splits = await readSection(handle, dataStart, header.sections.splits);
    const samples = header.dtype === 'uint8' ? new Uint8Array(samplesBytes.buffer, samplesBytes.byteOffset, samplesBytes.byteLength) : new Float32Array(samplesBytes.buffer, samplesBytes.byteOffset, samplesBytes.byteLength / 4);
    const labels = new Int32Array(labelBytes.buffer, labelBytes.byteOffset, labelBytes.byteLength / 4);
    const indicesOf = (code: number): Int32Array => {
      const out: number[] = [];
      splits.forEach((s, i) => s === code && out.push(i));
      return Int32Array.from(out);
    };
    return {
      header,
      data: {
        samples,
        shape: header.shape,
        offset: header.transform.offset,
        factor: header.transform.factor,
        labels,
        train: indicesOf(splitCode.train),
        validation: indicesOf(splitCode.validation),
        test: indicesOf(splitCode.test),
      },
    };
  } finally {
    await handle.close();
  }
}

/** Only the header: shape, type and scaling, without reading the samples. */
export async function readDatasetHeader(file: string): Promise<DatasetHeader> {
  const handle = await open(file, 'r');
  try {
    return (await readHeader(handle, file)).header;
  } finally {
    await handle.close();
  }
}

/** Whether model inputs lie in [0, 1] after the dataset's scaling (binary cross-entropy needs it). */
export function inUnitRange(header: DatasetHeader): boolean {
  return header.transform.scaling === 'unit' || header.transform.scaling === 'minmax';
}
