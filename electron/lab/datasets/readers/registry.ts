import { csvReader } from './csv.js';
import type { DatasetReader } from './datasetReader.js';
import { idxReader } from './idx.js';
import { imageFilesReader } from './imageFiles.js';
import { npyReader } from './npy.js';
import { npzReader } from './npz.js';

/** Every format the importer reads, one line each; messages list them in this order. */
export const datasetReaders: readonly DatasetReader[] = [
  imageFilesReader,
  idxReader,
  csvReader,
  npyReader,
  npzReader,
];
