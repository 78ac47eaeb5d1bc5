import { describe, expect, it } from 'vitest';
import { zip } from '../../testing/fixtures.js';
import { collectFromUploads } from './collectSources.js';

const archive = zip([{ name: 'a.csv', data: Buffer.from('1,2\n') }]);
const suggested = async (...paths: string[]) =>
  (await collectFromUploads(paths.map((path) => ({ path, bytes: path.endsWith('.zip') ? new Uint8Array(archive) : new Uint8Array(0) })))).suggestedName;

describe('suggested dataset names', () => {
  it.each([
    [['table.csv'], 'table'],
    [['x.npy'], 'x'],
    [['mnist.npz'], 'mnist'],
    [['photo.png'], 'photo.png'],
    [['shapes/a/1.png'], 'shapes'],
    [['pets.zip'], 'pets'],
    [['train-images-idx3-ubyte.gz'], 'train'],
    [['fashion-train-images-idx3-ubyte'], 'fashion-train'],
    [['emnist-idx3-ubyte.zip'], 'emnist'],
    [['x.npy', 'y.npy'], 'x'],
    [['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'], 'idx dataset'],
    [['kmnist-train-imgs.npz', 'kmnist-train-labels-idx1-ubyte.gz'], 'kmnist-train-labels'],
    [['mnist_idx3-ubyte.gz', 'notes.txt'], 'mnist'],
  ])('names %j %s', async (paths, name) => {
    expect(await suggested(...paths)).toBe(name);
  });
});
