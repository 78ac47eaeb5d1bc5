import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { idx, npy, png, tempDir, zip } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';

/**
 * Every binary format the lab reads, cut short and garbled at many points: whatever is
 * wrong, the message names the file and says what is wrong in the lab's words. Texts of
 * the JavaScript engine or Node ("Invalid DataView length -3136", "offset is out of
 * bounds", "needs 32 bytes, -4294967130 present") must never reach the user, nor may the
 * readers' last-resort message for damage no check foresaw.
 */
const engineText = /DataView|out of bounds|out of range|0x1fffffe8|typed array|RangeError|Received \d|-\d+ present|Cannot create a string|structure does not add up/i;

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function bmp(width: number, height: number, bitsPerPixel: 8 | 24): Buffer {
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const palette = bitsPerPixel === 8 ? 1024 : 0;
  const file = Buffer.alloc(54 + palette + rowBytes * height, 0x40);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(0, 6);
  file.writeUInt32LE(54 + palette, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bitsPerPixel, 28);
  file.writeUInt32LE(0, 30);
  return file;
}

function npyVersion2(v1: Buffer): Buffer {
  const out = Buffer.alloc(v1.length + 2);
  v1.copy(out, 0, 0, 8);
  out[6] = 2;
  out.writeUInt32LE(v1.readUInt16LE(8), 8);
  v1.copy(out, 12, 10);
  return out;
}

const f32 = (n: number) => new Uint8Array(Float32Array.from({ length: n }, (_, i) => i / 8).buffer);

async function fixtures(): Promise<Array<[string, Buffer]>> {
  return [
    ['x.npy', npy('|u1', [4, 2, 3], new Uint8Array(24).fill(9))],
    ['f.npy', npy('<f4', [4, 6], f32(24))],
    ['v2.npy', npyVersion2(npy('<f4', [4, 6], f32(24)))],
    ['g.npy.gz', gzipSync(npy('|i1', [4, 6], new Uint8Array(24)))],
    ['a-images-idx3-ubyte', idx(0x08, [4, 2, 3], new Array(24).fill(1))],
    ['b-images-idx3-ubyte.gz', idx(0x08, [4, 2, 3], new Array(24).fill(1), true)],
    ['d.npz', zip([{ name: 'x.npy', data: npy('|u1', [4, 2, 3], new Uint8Array(24)) }, { name: 'y.npy', data: npy('|u1', [4], new Uint8Array(4)), deflate: true }])],
    ['p.zip', zip([{ name: 'p/a/1.png', data: await png(4, 4, 1) }, { name: 'p/b/2.png', data: await png(4, 4, 2), deflate: true }])],
    ['c24.bmp', bmp(4, 4, 24)],
    ['c8.bmp', bmp(4, 4, 8)],
    ['t.csv.gz', gzipSync(Buffer.from('1,2,3\n4,5,6\n'))],
  ];
}

/** Cut points: every byte of the first 70 (headers live there), then a few through the data. */
const cuts = (length: number): number[] => [...new Set([...Array.from({ length: Math.min(70, length) }, (_, i) => i), Math.floor(length / 2), length - 1])];

async function messagesFor(name: string, bytes: Buffer): Promise<string[]> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  try {
    const outcome = await importSources(await collectFromPaths([path]), importOptionsSchema.parse({}), () => undefined);
    return outcome.skipped.map((s) => `${s.file}: ${s.reason}`);
  } catch (cause) {
    return [(cause as Error).message];
  }
}

describe('damaged files of every binary format', () => {
  it('cut short at any point: the file is named and no engine text appears', async () => {
    const bad: string[] = [];
    for (const [name, bytes] of await fixtures()) {
      for (const cut of cuts(bytes.length)) {
        for (const message of await messagesFor(name, bytes.subarray(0, cut))) {
          if (!message.includes(join(dir, name)) || engineText.test(message)) bad.push(`${name} cut at ${cut}: ${message}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('with a header byte garbled: the file is named and no engine text appears', async () => {
    const bad: string[] = [];
    for (const [name, bytes] of await fixtures()) {
      for (let at = 0; at < Math.min(bytes.length, 70); at += 1) {
        // A zero and a minus sign: the values that turn sizes into 0 or negative numbers.
        for (const value of [0x00, 0x2d]) {
          const garbled = Buffer.from(bytes);
          garbled[at] = value;
          for (const message of await messagesFor(name, garbled)) {
            if (!message.includes(join(dir, name)) || engineText.test(message)) bad.push(`${name} [${at}]=${value}: ${message}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
