import { describe, expect, it } from 'vitest';
import { importOptionsSchema, sourceFormats } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { generateShapes } from '../builtin/shapes.js';
import { importSources } from '../importer.js';
import type { CollectedSources } from '../sources/collectSources.js';
import type { SourceFile } from '../sources/sourceFile.js';
import type { DatasetReader } from './datasetReader.js';
import { datasetReaders } from './registry.js';

const source = (path: string, text = ''): SourceFile => ({
  display: path,
  segments: path.split('/'),
  size: text.length,
  read: () => Promise.resolve(Buffer.from(text)),
});

const collected = (files: SourceFile[]): CollectedSources => ({ files, skipped: [], suggestedName: 'drop', fromZip: false });

/** A made-up format: each .blob file holds one sample, its bytes the features. */
const blobReader: DatasetReader = {
  format: 'csv',
  label: 'BLOB',
  precedence: 100,
  claims: (file) => file.display.endsWith('.blob'),
  read: async (files, { notes }) => {
    const rows = await Promise.all(files.map((f) => f.read()));
    notes.push(`read ${rows.length} blobs`);
    return { kind: 'vector', shape: [1, 3, 1], samples: Uint8Array.from(rows.flatMap((r) => [...r])), labels: new Int32Array(rows.length).fill(-1), classNames: [] };
  },
};

const options = importOptionsSchema.parse({ validationFraction: 0, testFraction: 0 });

describe('the reader registry', () => {
  it('gives every source format exactly one reader, the generated one aside', () => {
    const produced = [...datasetReaders.flatMap((r) => (r.zipFormat ? [r.format, r.zipFormat] : [r.format])), generateShapes({ count: 5, size: 8, seed: 1 }).format];
    expect([...produced].sort()).toEqual([...sourceFormats].sort());
  });

  it('registers each reader once, at a precedence of its own', () => {
    expect(new Set(datasetReaders).size).toBe(datasetReaders.length);
    expect(new Set(datasetReaders.map((r) => r.precedence)).size).toBe(datasetReaders.length);
  });

  it.each([
    ['pets/cat/1.png', 'images'],
    ['scan.TIFF', 'images'],
    ['x.bmp.gz', 'images'],
    ['train-images-idx3-ubyte.gz', 'idx'],
    ['t10k-labels-idx1-ubyte', 'idx'],
    ['digits.idx3', 'idx'],
    ['table.csv', 'csv'],
    ['table.tsv.gz', 'csv'],
    ['x_train.npy', 'npy'],
    ['mnist.npz', 'npz'],
    ['readme.txt', undefined],
    ['archive.tar', undefined],
  ])('%s is claimed by the %s reader alone', (path, format) => {
    const claimants = datasetReaders.filter((r) => r.claims(source(path))).map((r) => r.format);
    expect(claimants).toEqual(format === undefined ? [] : [format]);
  });

  it('dispatches to a reader it is given, by that reader\'s claim and precedence', async () => {
    const files = [source('drop/a.blob', '\u0001\u0002\u0003'), source('drop/b.blob', '\u0004\u0005\u0006'), source('drop/c.csv', '1,2,3\n')];
    const outcome = await importSources(collected(files), options, () => undefined, [blobReader, ...datasetReaders]);
    expect([...outcome.data.samples]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.data.format).toBe('csv');
    expect(outcome.notes).toContain('read 2 blobs');
    expect(outcome.skipped).toEqual([{ file: 'drop/c.csv', reason: 'not used: this import reads the BLOB files' }]);
  });

  it('reads no format that is not registered', async () => {
    const withoutCsv = datasetReaders.filter((r) => r.format !== 'csv');
    const error = await importSources(collected([source('drop/c.csv', '1,2,3\n')]), options, () => undefined, withoutCsv).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toBe('drop: none of the files is an image, IDX, NPY or NPZ file');
    const blobs = await importSources(collected([source('drop/a.blob', '\u0001\u0002\u0003')]), options, () => undefined).catch((cause: unknown) => cause);
    expect((blobs as LabError).message).toBe('drop: none of the files is an image, IDX, CSV, NPY or NPZ file');
  });
});
