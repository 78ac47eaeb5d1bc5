/**
 * BMP decoder for the formats people actually save (1/4/8-bit palette, 16/24/32-bit,
 * uncompressed or bit fields), since the image library the lab uses reads no BMP.
 * Returns RGB(A) pixels top-down, ready to hand to the resizer as raw input.
 */
import { LabError } from '../../../../shared/result.js';
import { formatCount, importLimits, overLimit } from './limits.js';

export interface RawImage {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Buffer;
}

export interface BmpHeader {
  width: number;
  height: number;
  topDown: boolean;
  bitsPerPixel: number;
  compression: number;
  headerSize: number;
  pixelOffset: number;
  rowBytes: number;
}

const bitDepths = new Set([1, 4, 8, 16, 24, 32]);

/**
 * Reads and checks a BMP header against the file and the lab's pixel limit, before any
 * pixel is allocated: a 54-byte file claiming 20000×20000 is refused here, at once.
 * Errors carry the reason without the file name; the image reader adds it.
 */
export function readBmpHeader(bytes: Buffer): BmpHeader {
  if (bytes.length < 2 || bytes.toString('latin1', 0, 2) !== 'BM') throw new LabError('corrupt-file', 'not a BMP image (missing BM signature)');
  if (bytes.length < 54) throw new LabError('corrupt-file', `BMP is truncated: its header needs 54 bytes, the file has ${bytes.length}`);
  const pixelOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize < 40) throw new LabError('unsupported-format', `BMP core headers (${headerSize} bytes) are not supported`);
  if (14 + headerSize > bytes.length) throw new LabError('corrupt-file', `BMP is truncated: its info header declares ${headerSize} bytes, the file ends after ${bytes.length}`);
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const bitsPerPixel = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new LabError('corrupt-file', `BMP has an invalid size ${width}×${rawHeight}`);
  if (!bitDepths.has(bitsPerPixel)) throw new LabError('corrupt-file', `BMP header declares ${bitsPerPixel} bits per pixel, which is no BMP bit depth (1, 4, 8, 16, 24 or 32)`);
  if (width * height > importLimits.maxPixelsPerImage) {
    throw new LabError('too-large', `BMP declares ${width}×${height} = ${formatCount(width * height)} pixels, which ${overLimit(`${formatCount(importLimits.maxPixelsPerImage)} pixels per image`)}`);
  }
  if (compression !== 0 && compression !== 3) throw new LabError('unsupported-format', `BMP compression ${compression} (RLE or embedded JPEG/PNG) is not supported`);
  if (compression === 3 && bytes.length < (headerSize >= 56 ? 70 : 66)) {
    throw new LabError('corrupt-file', 'BMP is truncated: its colour masks are missing');
  }
  if (pixelOffset < 14 + headerSize) throw new LabError('corrupt-file', `BMP header is damaged: pixel data offset ${pixelOffset} lies inside the ${14 + headerSize}-byte header`);
  if (pixelOffset > bytes.length) throw new LabError('corrupt-file', `BMP is truncated: pixel data should start at byte ${pixelOffset}, the file has ${bytes.length} bytes`);
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (pixelOffset + rowBytes * height > bytes.length) {
    throw new LabError('corrupt-file', `BMP is truncated: pixel data ends early (${width}×${height} at ${bitsPerPixel} bits need ${rowBytes * height} bytes, ${bytes.length - pixelOffset} present)`);
  }
  return { width, height, topDown: rawHeight < 0, bitsPerPixel, compression, headerSize, pixelOffset, rowBytes };
}

export function decodeBmp(bytes: Buffer): RawImage {
  const { width, height, topDown, bitsPerPixel, compression, headerSize, pixelOffset, rowBytes } = readBmpHeader(bytes);
  const masks =
    compression === 3
      ? [bytes.readUInt32LE(54), bytes.readUInt32LE(58), bytes.readUInt32LE(62), headerSize >= 56 ? bytes.readUInt32LE(66) : 0]
      : bitsPerPixel === 16
        ? [0x7c00, 0x03e0, 0x001f, 0]
        : [0xff0000, 0xff00, 0xff, bitsPerPixel === 32 ? 0xff000000 : 0];
  const hasAlpha = bitsPerPixel === 32 && (masks[3] ?? 0) !== 0;
  const channels = hasAlpha ? 4 : 3;
  const palette = bitsPerPixel <= 8 ? bytes.subarray(14 + headerSize, pixelOffset) : undefined;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y += 1) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x += 1) {
      const o = (y * width + x) * channels;
      if (palette) {
        const bitOffset = x * bitsPerPixel;
        const byte = bytes[row + (bitOffset >> 3)] ?? 0;
        const index = (byte >> (8 - bitsPerPixel - (bitOffset & 7))) & ((1 << bitsPerPixel) - 1);
        out[o] = palette[index * 4 + 2] ?? 0;
        out[o + 1] = palette[index * 4 + 1] ?? 0;
        out[o + 2] = palette[index * 4] ?? 0;
      } else if (bitsPerPixel === 24) {
        const p = row + x * 3;
        out[o] = bytes[p + 2] ?? 0;
        out[o + 1] = bytes[p + 1] ?? 0;
        out[o + 2] = bytes[p] ?? 0;
      } else if (bitsPerPixel === 16 || bitsPerPixel === 32) {
        const value = bitsPerPixel === 16 ? bytes.readUInt16LE(row + x * 2) : bytes.readUInt32LE(row + x * 4);
        for (let c = 0; c < channels; c += 1) out[o + c] = extract(value, masks[c] ?? 0);
      }
    }
  }
  return { width, height, channels, pixels: out };
}

function extract(value: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift += 1;
  const max = mask >>> shift;
  return Math.round((((value & mask) >>> shift) / max) * 255);
}
