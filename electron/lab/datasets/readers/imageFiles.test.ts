import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { png, tempDir, writeFiles } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A grayscale TIFF of `pages` pages, each 8×6 and filled with 40 × its page number. */
async function multiPageTiff(pages: number): Promise<Buffer> {
  const width = 8;
  const height = 6;
  const pixels = Buffer.alloc(width * height * pages);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(i / (width * height)) * 40;
  // libvips writes one TIFF page per `pageHeight` rows of a tall image.
  const raw = { width, height: height * pages, channels: 1 as const, pageHeight: height };
  return sharp(pixels, { raw }).toColourspace('b-w').tiff().toBuffer();
}

const importDir = async (path: string) => importSources(await collectFromPaths([path]), importOptionsSchema.parse({}), () => undefined);

describe('image files', () => {
  it('imports every page of a multi-page TIFF as a sample and says so', async () => {
    const tiff = await multiPageTiff(3);
    expect((await sharp(tiff).metadata()).pages).toBe(3);
    await writeFiles(dir, { 'scans/stack.tif': tiff });
    const outcome = await importDir(join(dir, 'scans'));
    expect(outcome.data.labels.length).toBe(3);
    expect(outcome.data.shape).toEqual([6, 8, 1]);
    const size = 6 * 8;
    expect([0, 1, 2].map((page) => outcome.data.samples[page * size])).toEqual([0, 40, 80]);
    expect(outcome.notes).toContain('Multi-page TIFF files were imported one sample per page: stack.tif (3)');
  });

  it('refuses a PNG whose header announces more pixels than the limit, before decoding it', async () => {
    const header = await png(8, 8, 1);
    // IHDR width and height, at bytes 16 and 20.
    header.writeUInt32BE(50_000, 16);
    header.writeUInt32BE(50_000, 20);
    await writeFiles(dir, { 'big.png': header });
    await expect(importDir(join(dir, 'big.png'))).rejects.toThrow(
      `${join(dir, 'big.png')}: image is 50000×50000 = 2,500,000,000 pixels, which exceeds the lab's limit of 100,000,000 pixels per image`,
    );
  });
});
