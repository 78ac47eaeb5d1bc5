import sharp, { type Sharp } from 'sharp';
import type { ImportOptions, SkippedFile } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import type { ReadSamples } from '../../../format/datasets/datasetData.js';
import { baseName, extensionOf, type SourceFile } from '../sources/sourceFile.js';
import { decodeBmp, readBmpHeader } from './bmp.js';
import { throwIfCancelled, type DatasetReader } from './datasetReader.js';
import { cutPatches, defaultPatchesPerImage, defaultPatchSide, patchGrid, type PatchPlan } from './imagePatches.js';
import { formatCount, importLimits, overLimit } from './limits.js';

const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

/** Largest side a size picked by the lab gets; bigger images are scaled down to it. */
const defaultMaxSide = 64;
const probeCount = 64;
const inFlight = 8;

// Many small images: one libvips thread per image and several images at once is fastest.
sharp.concurrency(1);

interface Labelled {
  file: SourceFile;
  label: number;
  /** One page of a multi-page TIFF: its index and the file's page count. */
  page?: { index: number; of: number };
}

const isTiff = (file: SourceFile): boolean => ['.tif', '.tiff'].includes(extensionOf(baseName(file)));
const itemName = (item: Labelled): string => (item.page ? `${item.file.display} (page ${item.page.index + 1} of ${item.page.of})` : item.file.display);

/** Sub-folder names become class labels: the one below a single dropped folder, else the dropped folders' own. */
export function labelFiles(files: SourceFile[], skipped: SkippedFile[]): { items: Labelled[]; classNames: string[] } {
  // Labels are the first folder level where the files part ways (below a single dropped folder or a ZIP's top folder).
  const folders = files.map((f) => f.segments.slice(0, -1));
  let depth = 0;
  while (folders.every((f) => f.length > depth + 1 && f[depth] === folders[0]?.[depth])) depth += 1;
  const distinct = new Set(folders.map((f) => f[depth]));
  // One folder that every file shares (a flat folder of images) names the dataset, not a class.
  const labelOf = (file: SourceFile): string | undefined => (distinct.size > 1 && file.segments.length > depth + 1 ? file.segments[depth] : undefined);
  const anyLabelled = files.some((f) => labelOf(f) !== undefined);
  const classNames = [...new Set(files.map(labelOf).filter((l): l is string => l !== undefined))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const items: Labelled[] = [];
  for (const file of files) {
    const name = labelOf(file);
    if (anyLabelled && name === undefined) {
      skipped.push({ file: file.display, reason: 'not inside a class folder, while the other images are' });
      continue;
    }
    items.push({ file, label: name === undefined ? -1 : classNames.indexOf(name) });
  }
  return { items, classNames };
}

/** Width and height from a PNG's IHDR chunk, or undefined for anything else. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The image type the first bytes announce, whatever the file is called. */
function imageTypeOf(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'PNG';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'JPEG';
  if (bytes.toString('latin1', 0, 4) === 'GIF8') return 'GIF';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'WebP';
  if (['II*\0', 'MM\0*'].includes(bytes.toString('latin1', 0, 4))) return 'TIFF';
  return undefined;
}

function describeDecodeError(file: SourceFile, bytes: Buffer, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (bytes.length === 0) return 'empty file (0 bytes)';
  const expected = extensionOf(baseName(file)).slice(1).toUpperCase();
  const actual = imageTypeOf(bytes);
  if (actual !== undefined && /unsupported image format|corrupt header/i.test(message)) return `corrupt ${actual} image: its header is damaged`;
  if (/unsupported image format/i.test(message)) {
    const looksLikeText = bytes.subarray(0, 256).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
    return `not a ${expected} image: ${looksLikeText ? 'the content is text' : 'the content is no image format the lab reads'}`;
  }
  if (/pixel limit/i.test(message)) return `image is too large to decode (${message})`;
  if (/premature|truncat|end of|unexpected end|read error|corrupt|invalid/i.test(message)) return `truncated or corrupt ${expected} image (${message.split('\n')[0]})`;
  // libvips reports a short read as a warning, which the decoder is told to treat as an error.
  if (/warning treated as error/i.test(message)) return `truncated or corrupt ${expected} image (the decoder stopped on damaged data)`;
  return `cannot be decoded as ${expected} (${message.split('\n')[0]})`;
}

function pipelineFor(bytes: Buffer, item: Labelled): Sharp {
  if (extensionOf(baseName(item.file)) === '.bmp') {
    const raw = decodeBmp(bytes);
    return sharp(raw.pixels, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  }
  return sharp(bytes, { failOn: 'warning', limitInputPixels: importLimits.maxPixelsPerImage, animated: false, ...(item.page ? { page: item.page.index } : {}) });
}

/** Refuses an image whose header announces more pixels than the lab decodes, before decoding it. */
function checkPixels(width: number, height: number): void {
  if (width * height > importLimits.maxPixelsPerImage) {
    throw new LabError('too-large', `image is ${width}×${height} = ${formatCount(width * height)} pixels, which ${overLimit(`${formatCount(importLimits.maxPixelsPerImage)} pixels per image`)}`);
  }
}

/**
 * A multi-page TIFF becomes one sample per page rather than silently its first page;
 * the pages are counted from the header, nothing is decoded here.
 */
async function expandPages(items: Labelled[], notes: string[], signal: AbortSignal | undefined): Promise<Labelled[]> {
  if (!items.some((item) => isTiff(item.file))) return items;
  const out: Labelled[] = [];
  const multiPage: string[] = [];
  for (const item of items) {
    throwIfCancelled(signal);
    if (!isTiff(item.file)) {
      out.push(item);
      continue;
    }
    const pages = await item.file
      .read()
      .then(async (bytes) => (await sharp(bytes).metadata()).pages ?? 1)
      // An unreadable file is reported when it is decoded.
      .catch(() => 1);
    if (pages <= 1) out.push(item);
    else {
      multiPage.push(`${baseName(item.file)} (${pages})`);
      for (let index = 0; index < pages; index += 1) out.push({ ...item, page: { index, of: pages } });
    }
  }
  if (multiPage.length > 0) {
    const shown = multiPage.slice(0, 5).join(', ');
    notes.push(`Multi-page TIFF files were imported one sample per page: ${shown}${multiPage.length > 5 ? ` and ${multiPage.length - 5} more` : ''}`);
  }
  return out;
}

interface Probe {
  width: number;
  height: number;
  colour: boolean;
}

async function probe(file: SourceFile): Promise<Probe | undefined> {
  try {
    const bytes = await file.read();
    if (extensionOf(baseName(file)) === '.bmp') {
      const header = readBmpHeader(bytes);
      return { width: header.width, height: header.height, colour: true };
    }
    const meta = await sharp(bytes).metadata();
    return { width: meta.width ?? 0, height: meta.height ?? 0, colour: meta.space !== 'b-w' && (meta.channels ?? 1) >= 3 };
  } catch {
    return undefined;
  }
}

/** The most common size among a sample of the images, scaled down to fit the default maximum side. */
async function chooseLayout(items: Labelled[], options: ImportOptions): Promise<{ height: number; width: number; channels: 1 | 3; note?: string }> {
  const step = Math.max(1, Math.floor(items.length / probeCount));
  const probes: Probe[] = [];
  for (let i = 0; i < items.length && probes.length < probeCount; i += step) {
    const item = items[i];
    const found = item ? await probe(item.file) : undefined;
    if (found) probes.push(found);
  }
  const channels = options.color === 'rgb' ? 3 : options.color === 'grayscale' ? 1 : probes.some((p) => p.colour) ? 3 : 1;
  if (options.size) return { height: options.size[0], width: options.size[1], channels };
  const counts = new Map<string, number>();
  for (const p of probes) counts.set(`${p.height}x${p.width}`, (counts.get(`${p.height}x${p.width}`) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '28x28';
  const [h, w] = common.split('x').map(Number) as [number, number];
  const scale = Math.min(1, defaultMaxSide / Math.max(h, w));
  const height = Math.max(4, Math.round(h * scale));
  const width = Math.max(4, Math.round(w * scale));
  return scale < 1
    ? { height, width, channels, note: `Images are ${w}×${h}; stored at ${width}×${height} (choose a size to keep more detail)` }
    : { height, width, channels };
}

/** Decodes, converts and resizes (or cuts into patches) every image, skipping (and reporting) the ones that fail. */
export async function readImageFiles(
  files: SourceFile[],
  options: ImportOptions,
  skipped: SkippedFile[],
  notes: string[],
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ReadSamples> {
  const labelled = labelFiles(files, skipped);
  const { classNames } = labelled;
  if (labelled.items.length === 0) throw new LabError('empty-input', 'No images to import: every image file was skipped');
  const items = await expandPages(labelled.items, notes, signal);
  if (items.length > importLimits.maxSamples) {
    throw new LabError('too-large', `${formatCount(items.length)} images ${overLimit(`${formatCount(importLimits.maxSamples)} samples`)}`);
  }
  if (options.patches) return readPatches(items, classNames, options, skipped, notes, onProgress, signal);
  const layout = await chooseLayout(items, options);
  if (layout.note) notes.push(layout.note);
  const size = layout.height * layout.width * layout.channels;
  if (items.length * size > importLimits.maxValues) {
    throw new LabError('too-large', `${formatCount(items.length)} images at ${layout.width}×${layout.height}×${layout.channels} are ${formatCount(items.length * size)} values, which ${overLimit(`${formatCount(importLimits.maxValues)} values`)}; choose a smaller size`);
  }
  const samples = new Uint8Array(items.length * size);
  // Why the one image of a single-file import failed, so that its error keeps the reader's code.
  let lastCode: LabError['code'] = 'corrupt-file';
  const ok = new Uint8Array(items.length);
  const resizedFrom = new Map<string, number>();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      const item = items[index] as Labelled;
      let bytes: Buffer = Buffer.alloc(0);
      try {
        bytes = await item.file.read();
        if (bytes.length === 0) throw new Error('empty');
        const image = pipelineFor(bytes, item);
        // PNG sizes come from the IHDR chunk: a second pass through the decoder costs more than the decode.
        const dims = pngSize(bytes) ?? (await image.metadata());
        checkPixels(dims.width, dims.height);
        const sameSize = dims.width === layout.width && dims.height === layout.height;
        if (!sameSize) {
          const key = `${dims.width}×${dims.height}`;
          resizedFrom.set(key, (resizedFrom.get(key) ?? 0) + 1);
        }
        const flattened = image.flatten({ background: '#000000' });
        const pixels = await (sameSize ? flattened : flattened.resize(layout.width, layout.height, { fit: 'fill', kernel: 'lanczos3' }))
          .toColourspace(layout.channels === 1 ? 'b-w' : 'srgb')
          .raw()
          .toBuffer({ resolveWithObject: true });
        if (pixels.info.channels !== layout.channels) throw new Error(`decoder gave ${pixels.info.channels} channels`);
        samples.set(pixels.data, index * size);
        ok[index] = 1;
      } catch (cause) {
        if (cause instanceof LabError) lastCode = cause.code;
        skipped.push({ file: itemName(item), reason: cause instanceof LabError ? cause.message : describeDecodeError(item.file, bytes, cause) });
      }
      done += 1;
      onProgress(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  throwIfCancelled(signal);
  const kept = ok.reduce((sum, v) => sum + v, 0);
  const only = skipped[skipped.length - 1];
  if (kept === 0 && items.length === 1 && only) throw new LabError(lastCode, `${only.file}: ${only.reason}`);
  if (kept === 0) throw new LabError('empty-input', `None of the ${items.length} images could be read; see the skipped files`);
  if (resizedFrom.size > 0) {
    const sizes = [...resizedFrom.entries()].map(([s, n]) => `${n} at ${s}`).join(', ');
    notes.push(`Images of other sizes were resized to ${layout.width}×${layout.height}: ${sizes}`);
  }
  return compact(samples, items, ok, size, { kind: 'image', shape: [layout.height, layout.width, layout.channels], classNames });
}

/**
 * Cuts every image into patches of the chosen size at their own resolution (nothing resized),
 * at most `patchesPerImage` of them per image; each patch is a sample labelled as its image.
 * An image smaller than one patch is skipped with that reason.
 */
async function readPatches(
  items: Labelled[],
  classNames: string[],
  options: ImportOptions,
  skipped: SkippedFile[],
  notes: string[],
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal | undefined,
): Promise<ReadSamples> {
  const [height, width] = options.size ?? [defaultPatchSide, defaultPatchSide];
  const plan: PatchPlan = {
    height,
    width,
    strideY: options.patchStride ?? height,
    strideX: options.patchStride ?? width,
    cap: options.patchesPerImage ?? defaultPatchesPerImage,
  };
  const { channels } = await chooseLayout(items, { ...options, size: [height, width] });
  const size = height * width * channels;
  const cut: Array<Uint8Array | undefined> = new Array(items.length);
  let lastCode: LabError['code'] = 'corrupt-file';
  let total = 0;
  let capped = 0;
  let tooMany: LabError | undefined;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted && !tooMany) {
      const index = next++;
      const item = items[index] as Labelled;
      let bytes: Buffer = Buffer.alloc(0);
      try {
        bytes = await item.file.read();
        if (bytes.length === 0) throw new Error('empty');
        const image = pipelineFor(bytes, item);
        const dims = pngSize(bytes) ?? (await image.metadata());
        checkPixels(dims.width, dims.height);
        const grid = patchGrid(dims.width, dims.height, plan);
        if (grid.rows === 0) throw new LabError('invalid-option', `image is ${dims.width}×${dims.height} px, smaller than the patch size ${width}×${height}: no patch fits`);
        const decoded = await image
          .flatten({ background: '#000000' })
          .toColourspace(channels === 1 ? 'b-w' : 'srgb')
          .raw()
          .toBuffer({ resolveWithObject: true });
        if (decoded.info.channels !== channels) throw new Error(`decoder gave ${decoded.info.channels} channels`);
        // Each image's own seed: the patches do not depend on which image finished decoding first.
        const seed = (options.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
        const { patches } = cutPatches(decoded.data, decoded.info.width, decoded.info.height, channels, plan, seed);
        if (grid.rows * grid.cols > plan.cap) capped += 1;
        total += patches.length / size;
        if (total > importLimits.maxSamples || total * size > importLimits.maxValues) {
          tooMany = new LabError('too-large', `${formatCount(total)} patches at ${width}×${height}×${channels} ${overLimit(total > importLimits.maxSamples ? `${formatCount(importLimits.maxSamples)} samples` : `${formatCount(importLimits.maxValues)} values`)}; lower patches per image or choose a smaller patch size`);
        }
        cut[index] = patches;
      } catch (cause) {
        if (cause instanceof LabError) lastCode = cause.code;
        skipped.push({ file: itemName(item), reason: cause instanceof LabError ? cause.message : describeDecodeError(item.file, bytes, cause) });
      }
      done += 1;
      onProgress(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  throwIfCancelled(signal);
  if (tooMany) throw tooMany;
  const only = skipped[skipped.length - 1];
  if (total === 0 && items.length === 1 && only) throw new LabError(lastCode, `${only.file}: ${only.reason}`);
  if (total === 0) throw new LabError('empty-input', `None of the ${items.length} images gave a patch; see the skipped files`);
  const samples = new Uint8Array(total * size);
  const labels = new Int32Array(total);
  const sourceItems = new Int32Array(total);
  let at = 0;
  let images = 0;
  cut.forEach((patches, index) => {
    if (!patches) return;
    samples.set(patches, at * size);
    labels.fill((items[index] as Labelled).label, at, at + patches.length / size);
    sourceItems.fill(images, at, at + patches.length / size);
    images += 1;
    at += patches.length / size;
  });
  const stride = plan.strideX === width && plan.strideY === height ? 'side by side' : `every ${plan.strideX} px`;
  notes.push(
    `Cut ${images} image${images === 1 ? '' : 's'} into ${formatCount(total)} patches of ${width}×${height} px (${stride})` +
      (capped > 0 ? `; ${capped} image${capped === 1 ? '' : 's'} held more than ${plan.cap} and gave ${plan.cap}, chosen by the seed over the whole image` : ''),
  );
  return { kind: 'image', shape: [height, width, channels], samples, labels, classNames, sourceItems };
}

function compact(samples: Uint8Array, items: Labelled[], ok: Uint8Array, size: number, rest: Pick<ReadSamples, 'kind' | 'shape' | 'classNames'>): ReadSamples {
  const kept = ok.reduce((sum, v) => sum + v, 0);
  const out = kept === items.length ? samples : new Uint8Array(kept * size);
  const labels = new Int32Array(kept);
  let k = 0;
  for (let i = 0; i < items.length; i += 1) {
    if (!ok[i]) continue;
    if (out !== samples) out.set(samples.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = (items[i] as Labelled).label;
    k += 1;
  }
  return { ...rest, samples: out, labels };
}

/** Folders (or a ZIP) of image files, labelled by sub-folder. */
export const imageFilesReader: DatasetReader = {
  format: 'images',
  zipFormat: 'zip',
  label: 'image',
  // Loose images lose to any structured file: a preview PNG next to IDX or NPY data is not the dataset.
  precedence: 10,
  claims: (file) => imageExtensions.has(extensionOf(baseName(file))),
  read: (files, { options, skipped, notes, progress, signal }) =>
    readImageFiles(files, options, skipped, notes, (done, total) => progress('decoding', done, total, `Decoded ${done} of ${total} images`), signal),
};
