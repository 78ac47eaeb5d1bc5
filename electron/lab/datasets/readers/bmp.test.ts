import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { tempDir, writeFiles } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';
import { decodeBmp } from './bmp.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A bare 54-byte BMP header: what a decompression bomb needs to claim its size. */
function bmpHeader(width: number, height: number, bitsPerPixel: number): Buffer {
  const file = Buffer.alloc(54);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(54, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bitsPerPixel, 28);
  return file;
}

async function importError(name: string, bytes: Buffer): Promise<LabError> {
  await writeFiles(dir, { [name]: bytes });
  const error = await importSources(await collectFromPaths([join(dir, name)]), importOptionsSchema.parse({}), () => undefined).then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(LabError);
  return error as LabError;
}

function bmp24(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const file = Buffer.alloc(54 + rowBytes * height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = pixel(x, y);
      const o = 54 + (height - 1 - y) * rowBytes + x * 3;
      file[o] = b;
      file[o + 1] = g;
      file[o + 2] = r;
    }
  return file;
}

describe('BMP decoder', () => {
  it('decodes a bottom-up 24-bit image into top-down RGB', () => {
    const image = decodeBmp(bmp24(3, 2, (x, y) => [x * 10, y * 100, 7]));
    expect(image).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect([...image.pixels.subarray(0, 6)]).toEqual([0, 0, 7, 10, 0, 7]);
    expect([...image.pixels.subarray(9, 12)]).toEqual([0, 100, 7]);
  });

  it('refuses a 54-byte BMP with 0 bits per pixel claiming 20000×20000 from its header, allocating nothing', async () => {
    const before = process.memoryUsage().rss;
    const error = await importError('bomb.bmp', bmpHeader(20_000, 20_000, 0));
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toBe(`${join(dir, 'bomb.bmp')}: BMP header declares 0 bits per pixel, which is no BMP bit depth (1, 4, 8, 16, 24 or 32)`);
    // Decoding it used to allocate 1.2 GB of pixels; the header check refuses it before any.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 ** 2);
  });

  it('refuses a header announcing more pixels than the limit before checking for the pixel data', async () => {
    const error = await importError('huge.bmp', bmpHeader(20_000, 20_000, 24));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(`${join(dir, 'huge.bmp')}: BMP declares 20000×20000 = 400,000,000 pixels, which exceeds the lab's limit of 100,000,000 pixels per image`);
  });

  it('says a header cut short is truncated, not an offset out of range', async () => {
    const error = await importError('cut.bmp', bmp24(4, 4, () => [0, 0, 0]).subarray(0, 26));
    expect(error.message).toBe(`${join(dir, 'cut.bmp')}: BMP is truncated: its header needs 54 bytes, the file has 26`);
  });

  it('says what is wrong with a truncated or compressed file', () => {
    expect(() => decodeBmp(bmp24(4, 4, () => [0, 0, 0]).subarray(0, 60))).toThrow('BMP is truncated: pixel data ends early (4×4 at 24 bits need 48 bytes, 6 present)');
    const rle = bmp24(2, 2, () => [0, 0, 0]);
    rle.writeUInt32LE(1, 30);
    expect(() => decodeBmp(rle)).toThrow(/compression 1 \(RLE or embedded JPEG\/PNG\) is not supported/);
    expect(() => decodeBmp(Buffer.from('hello there, world!!!!!!!!!!!'))).toThrow(/missing BM signature/);
  });
});
