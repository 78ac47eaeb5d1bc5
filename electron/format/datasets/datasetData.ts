import type { SourceFormat } from '../../../shared/domain/dataset.js';

export type SampleShape = [height: number, width: number, channels: number];

/** Split of each sample, as stored: 0 train, 1 validation, 2 test. */
export const splitCode = { train: 0, validation: 1, test: 2 } as const;

/** How stored values become model inputs: input = (stored - offset) * factor. */
export interface ValueTransform {
  scaling: 'unit' | 'minmax' | 'standardize' | 'none';
  offset: number;
  factor: number;
}

/** A dataset as readers produce it and the store keeps it. */
export interface DatasetData {
  format: SourceFormat;
  source: string;
  kind: 'image' | 'vector';
  shape: SampleShape;
  samples: Uint8Array | Float32Array;
  /** Class index per sample, -1 where the sample has no label. */
  labels: Int32Array;
  classNames: string[];
  splits: Uint8Array;
  transform: ValueTransform;
  factors?: { names: string[]; values: Float32Array };
}

/** What a reader returns before splitting: a predefined test set is kept as test. */
export interface ReadSamples {
  kind: 'image' | 'vector';
  shape: SampleShape;
  samples: Uint8Array | Float32Array;
  labels: Int32Array;
  classNames: string[];
  /** Per-sample flag, 1 where the source itself marked the sample as test data. */
  predefinedTest?: Uint8Array;
  /**
   * Per-sample number of the source item it was cut from (patches of one photograph): the
   * split then goes by item, so no photograph has patches on both sides of it.
   */
  sourceItems?: Int32Array;
  factors?: { names: string[]; values: Float32Array };
  /** A name the reader recognised from the content (a well-known dataset). */
  suggestedName?: string;
}

export const sampleSize = (shape: SampleShape): number => shape[0] * shape[1] * shape[2];
