import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';
import { importOptionsSchema, type ImportOptionsInput } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import type { SourceFile } from '../sources/sourceFile.js';
import { readCsv } from './csv.js';

const file = (text: string | Buffer): SourceFile => ({ display: 'data.csv', segments: ['data.csv'], size: text.length, read: () => Promise.resolve(Buffer.from(text)) });
const read = (text: string | Buffer, options: ImportOptionsInput = {}) => readCsv(file(text), importOptionsSchema.parse(options), []);

describe('CSV reader', () => {
  it('detects a header and a label column by name', async () => {
    const samples = await read('label,a,b,c,d\n1,0,255,3,4\n0,5,6,7,8\n');
    expect(samples.classNames).toEqual(['0', '1']);
    expect([...samples.labels]).toEqual([1, 0]);
    expect(samples.samples).toBeInstanceOf(Uint8Array);
    expect(samples.shape).toEqual([1, 4, 1]);
  });

  it('reads headerless float rows as vectors and squares as images', async () => {
    const vector = await read('0.5,1.5,2\n3,4,5\n');
    expect(vector.samples).toBeInstanceOf(Float32Array);
    expect(vector.classNames).toEqual([]);
    expect([...vector.labels]).toEqual([-1, -1]);
    const square = await read(`${Array.from({ length: 16 }, (_, i) => i).join(',')}\n`);
    expect(square.shape).toEqual([4, 4, 1]);
  });

  it('uses a text column as the label', async () => {
    const samples = await read('x,y,kind\n1,2,cat\n3,4,dog\n5,6,cat\n');
    expect(samples.classNames).toEqual(['cat', 'dog']);
    expect([...samples.labels]).toEqual([0, 1, 0]);
  });

  it('names the row and column of a non-numeric cell', async () => {
    await expect(read('label,a,b\n1,2,3\n0,4,oops\n')).rejects.toThrow("data.csv: row 3, column 'b' (3): 'oops' is not a number");
  });

  it('names a ragged row', async () => {
    await expect(read('a,b,c\n1,2,3\n4,5\n')).rejects.toThrow('data.csv: row 3 has 2 cells, expected 3 (as in the header)');
  });

  it('takes the label column from the options, and refuses an unknown one', async () => {
    const samples = await read('p,q,r\n1,2,3\n4,5,6\n', { labelColumn: 'r' });
    expect(samples.classNames).toEqual(['3', '6']);
    await expect(read('p,q\n1,2\n', { labelColumn: 'zzz' })).rejects.toThrow("data.csv: no label column 'zzz'");
  });

  it('decodes UTF-16 with a byte-order mark, either byte order', async () => {
    const text = 'x,y,kind\n1,2,cät\n3,4,dög\n';
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const bytes of [little, big]) {
      const samples = await read(bytes);
      expect(samples.classNames).toEqual(['cät', 'dög']);
      expect([...samples.samples]).toEqual([1, 2, 3, 4]);
    }
  });

  it('refuses UTF-16 without a byte-order mark, saying it is UTF-16', async () => {
    await expect(read(Buffer.from('a,b\n1,2\n', 'utf16le'))).rejects.toThrow(
      'data.csv: the text looks like UTF-16 (little-endian) without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM',
    );
  });

  it('reads semicolon-separated and quoted cells', async () => {
    const samples = await read('"a";"b";"label"\n1;2;"x"\n3;4;"y"\n');
    expect(samples.classNames).toEqual(['x', 'y']);
  });

  it('refuses a CSV larger than a JavaScript string holds, and any file over 2 GiB, before reading them', async () => {
    const dir = await tempDir();
    try {
      // Sparse files: their size is what matters, and nothing is read.
      for (const [name, size] of [['big.csv', 600 * 1024 ** 2], ['huge.npy', 3 * 1024 ** 3]] as const) {
        const handle = await open(join(dir, name), 'w');
        await handle.truncate(size);
        await handle.close();
      }
      const refusal = async (name: string) =>
        (await importSources(await collectFromPaths([join(dir, name)]), importOptionsSchema.parse({}), () => undefined).catch((cause: unknown) => cause)) as LabError;
      const csv = await refusal('big.csv');
      expect(csv.code).toBe('too-large');
      expect(csv.message).toBe(`${join(dir, 'big.csv')}: 600 MiB exceeds the lab's limit of 512 MiB for a CSV (the longest text JavaScript holds); save the data as NPY instead`);
      expect((await refusal('huge.npy')).message).toBe(`${join(dir, 'huge.npy')}: 3 GiB exceeds the lab's limit of 2 GiB for one file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
