import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema, type ImportOptionsInput } from '../../../../shared/domain/dataset.js';
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

/** scikit-learn's two sample photographs (427×640 RGB JPEGs), where the project's .venv has scikit-learn. */
function samplePhotos(): { china: string; flower: string } | string {
  const lib = join(fileURLToPath(new URL('../../../../', import.meta.url)), '.venv', 'lib');
  const reason = `no scikit-learn sample images under ${lib} (scripts/install-test-deps.sh makes .venv)`;
  if (!existsSync(lib)) return reason;
  for (const python of readdirSync(lib)) {
    const images = join(lib, python, 'site-packages', 'sklearn', 'datasets', 'images');
    if (existsSync(join(images, 'china.jpg')) && existsSync(join(images, 'flower.jpg'))) return { china: join(images, 'china.jpg'), flower: join(images, 'flower.jpg') };
  }
  return reason;
}
const photos = samplePhotos();

const importWith = async (path: string, options: ImportOptionsInput) => importSources(await collectFromPaths([path]), importOptionsSchema.parse(options), () => undefined);

/** The image as the reader decodes it: RGB bytes, row-major. */
async function decodeRgb(path: string): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).flatten({ background: '#000000' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

/** The side×side patch of an RGB image at (x, y). */
function patchAt(image: { pixels: Buffer; width: number }, x: number, y: number, side: number): Buffer {
  const rows = Array.from({ length: side }, (_, r) => image.pixels.subarray(((y + r) * image.width + x) * 3, ((y + r) * image.width + x + side) * 3));
  return Buffer.concat(rows);
}

describe('image files cut into patches', () => {
  const skipReason = typeof photos === 'string' ? ` (skipped: ${photos})` : '';
  it.skipIf(typeof photos === 'string')(`cuts real photographs into 32×32 RGB patches, at most the cap per image, each the source's own pixels${skipReason}`, async () => {
    if (typeof photos === 'string') return;
    await mkdir(join(dir, 'photos', 'china'), { recursive: true });
    await mkdir(join(dir, 'photos', 'flower'), { recursive: true });
    await copyFile(photos.china, join(dir, 'photos', 'china', 'china.jpg'));
    await copyFile(photos.flower, join(dir, 'photos', 'flower', 'flower.jpg'));
    const sources = [await decodeRgb(photos.china), await decodeRgb(photos.flower)];
    for (const source of sources) expect([source.width, source.height]).toEqual([640, 427]);
    const side = 32;
    const grid = Math.floor(427 / side) * Math.floor(640 / side);
    // Each grid cell's bytes, to find which cell a patch came from.
    const cells = sources.map((source) => {
      const byBytes = new Map<string, number>();
      for (let cell = 0; cell < grid; cell += 1) byBytes.set(patchAt(source, (cell % 20) * side, Math.floor(cell / 20) * side, side).toString('base64'), cell);
      return byBytes;
    });

    for (const cap of [64, 1000]) {
      const outcome = await importWith(join(dir, 'photos'), { patches: true, size: [side, side], color: 'rgb', patchesPerImage: cap });
      const { data } = outcome;
      expect(data.shape).toEqual([side, side, 3]);
      expect(data.classNames).toEqual(['china', 'flower']);
      const perImage = Math.min(cap, grid);
      expect(data.labels.length).toBe(2 * perImage);
      expect([...data.labels].filter((l) => l === 0).length).toBe(perImage);
      expect(outcome.skipped).toEqual([]);
      const size = side * side * 3;
      for (const [label, byBytes] of cells.entries()) {
        const found: number[] = [];
        for (let i = 0; i < data.labels.length; i += 1) {
          if (data.labels[i] !== label) continue;
          const cell = byBytes.get(Buffer.from(data.samples.subarray(i * size, (i + 1) * size)).toString('base64'));
          expect(cell, `patch ${i} is one of its photo's ${grid} grid cells`).toBeDefined();
          found.push(cell ?? -1);
        }
        // Distinct cells, in reading order; with no cap, every cell in turn.
        expect(new Set(found).size).toBe(perImage);
        expect(found).toEqual([...found].sort((a, b) => a - b));
        if (perImage === grid) expect(found).toEqual(Array.from({ length: grid }, (_, i) => i));
        else expect(Math.max(...found) - Math.min(...found)).toBeGreaterThan(grid / 2);
      }
      expect(outcome.notes.join('\n')).toContain(`Cut 2 images into ${2 * perImage} patches of 32×32 px (side by side)`);
    }
    // The cap's choice is the seed's: the same seed gives the same patches, another seed others.
    const again = async (seed: number) => (await importWith(join(dir, 'photos'), { patches: true, size: [side, side], color: 'rgb', seed })).data.samples;
    expect(Buffer.from(await again(5)).equals(Buffer.from(await again(5)))).toBe(true);
    expect(Buffer.from(await again(5)).equals(Buffer.from(await again(6)))).toBe(false);
  });

  it('steps by the stride, skips an image smaller than a patch with that reason, and keeps grayscale where asked', async () => {
    await writeFiles(dir, { 'set/a/wide.png': await png(20, 12, 3, 3), 'set/b/tiny.png': await png(6, 6, 4, 3) });
    const outcome = await importWith(join(dir, 'set'), { patches: true, size: [8, 8], patchStride: 4, color: 'rgb' });
    expect(outcome.skipped).toEqual([{ file: join(dir, 'set/b/tiny.png'), reason: 'image is 6×6 px, smaller than the patch size 8×8: no patch fits' }]);
    // Rows at y = 0, 4; columns at x = 0, 4, 8, 12.
    expect(outcome.data.labels.length).toBe(8);
    expect(outcome.data.shape).toEqual([8, 8, 3]);
    const source = await decodeRgb(join(dir, 'set/a/wide.png'));
    const size = 8 * 8 * 3;
    expect(Buffer.from(outcome.data.samples.subarray(5 * size, 6 * size)).equals(patchAt(source, 4, 4, 8))).toBe(true);
    expect(outcome.notes).toContain('Cut 1 image into 8 patches of 8×8 px (every 4 px)');

    const gray = await importWith(join(dir, 'set/a'), { patches: true, size: [8, 8], color: 'grayscale' });
    expect(gray.data.shape).toEqual([8, 8, 1]);
    expect(gray.data.labels.length).toBe(2);
    await expect(importWith(join(dir, 'set/b'), { patches: true, size: [8, 8] })).rejects.toThrow(`${join(dir, 'set/b/tiny.png')}: image is 6×6 px, smaller than the patch size 8×8: no patch fits`);
  });

  it("gives every patch of an image its image's split where there are images enough, and splits patch by patch (saying so) where not", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 20; i += 1) files[`many/${i % 2 === 0 ? 'a' : 'b'}/img${i}.png`] = await png(16, 16, i + 1, 3);
    await writeFiles(dir, files);
    const many = await importWith(join(dir, 'many'), { patches: true, size: [8, 8], patchStride: 4, color: 'rgb' });
    // 20 images of 3×3 overlapping patches: each image's nine patches lie together, in one split.
    expect(many.data.labels.length).toBe(180);
    const byImage = Array.from({ length: 20 }, (_, image) => new Set(many.data.splits.subarray(image * 9, image * 9 + 9)));
    expect(byImage.every((splits) => splits.size === 1)).toBe(true);
    expect(new Set(byImage.map((splits) => [...splits][0]))).toEqual(new Set([0, 1, 2]));
    expect(many.notes).toContain('Patches of one image share its split: no image has patches in both training and test');

    // Three images cannot give train, validation and test one each.
    await writeFiles(dir, { 'few/img0.png': await png(32, 32, 1, 3), 'few/img1.png': await png(32, 32, 2, 3), 'few/img2.png': await png(32, 32, 3, 3) });
    const few = await importWith(join(dir, 'few'), { patches: true, size: [8, 8], color: 'rgb' });
    expect(new Set(few.data.splits)).toEqual(new Set([0, 1, 2]));
    expect(few.notes.join('\n')).toMatch(/^Too few images to give each split whole images: the patches are split one by one/m);
  });

  it('refuses patches for files that are not images, naming what they are', async () => {
    await writeFiles(dir, { 'table/data.csv': Buffer.from('a,b\n1,2\n3,4\n') });
    await expect(importWith(join(dir, 'table'), { patches: true, size: [8, 8] })).rejects.toThrow(/cutting into patches applies to image files; these are CSV files/);
  });

  it('refuses a patch stride or cap without patches, naming them', () => {
    const parsed = importOptionsSchema.safeParse({ patchStride: 4 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^the patch stride and patches per image apply only when images are cut into patches/);
    expect(importOptionsSchema.safeParse({ patches: true, patchesPerImage: 0 }).error?.issues[0]?.path).toEqual(['patchesPerImage']);
    expect(importOptionsSchema.parse({ patches: true })).toMatchObject({ patches: true });
  });
});
