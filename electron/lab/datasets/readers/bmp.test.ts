import { describe, expect, it } from 'vitest';
import { decodeBmp } from './bmp.js';

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

  it('says what is wrong with a truncated or compressed file', () => {
    expect(() => decodeBmp(bmp24(4, 4, () => [0, 0, 0]).subarray(0, 60))).toThrow('BMP is truncated: pixel data ends early');
    const rle = bmp24(2, 2, () => [0, 0, 0]);
    rle.writeUInt32LE(1, 30);
    expect(() => decodeBmp(rle)).toThrow(/compression 1 \(RLE or embedded JPEG\/PNG\) is not supported/);
    expect(() => decodeBmp(Buffer.from('hello there, world!!!!!!!!!!!'))).toThrow(/missing BM signature/);
  });
});
