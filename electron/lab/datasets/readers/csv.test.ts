import { describe, expect, it } from 'vitest';
import { importOptionsSchema, type ImportOptionsInput } from '../../../../shared/domain/dataset.js';
import type { SourceFile } from '../sources/sourceFile.js';
import { readCsv } from './csv.js';

const file = (text: string): SourceFile => ({ display: 'data.csv', segments: ['data.csv'], size: text.length, read: () => Promise.resolve(Buffer.from(text)) });
const read = (text: string, options: ImportOptionsInput = {}) => readCsv(file(text), importOptionsSchema.parse(options), []);

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

  it('reads semicolon-separated and quoted cells', async () => {
    const samples = await read('"a";"b";"label"\n1;2;"x"\n3;4;"y"\n');
    expect(samples.classNames).toEqual(['x', 'y']);
  });
});
