import { seededRandom, shuffledIndices } from '../../../../shared/random.js';

/** Patches taken from one image where the user sets no cap: a big photo must not flood the set. */
export const defaultPatchesPerImage = 64;
/** The patch side where the user chose patches but no size. */
export const defaultPatchSide = 32;

export interface PatchPlan {
  /** Patch height and width. */
  height: number;
  width: number;
  /** Pixels from one patch's origin to the next, down and across. */
  strideY: number;
  strideX: number;
  cap: number;
}

/** Rows and columns of whole patches an image of this size holds; zero where no patch fits. */
export function patchGrid(imageWidth: number, imageHeight: number, plan: PatchPlan): { rows: number; cols: number } {
  const rows = imageHeight < plan.height ? 0 : Math.floor((imageHeight - plan.height) / plan.strideY) + 1;
  const cols = imageWidth < plan.width ? 0 : Math.floor((imageWidth - plan.width) / plan.strideX) + 1;
  return rows === 0 || cols === 0 ? { rows: 0, cols: 0 } : { rows, cols };
}

/**
 * Which of `cells` grid cells (in reading order) become patches: all of them up to the cap;
 * past it, `cap` cells drawn without replacement in an order the seed fixes, so the patches
 * spread over the whole photo and the same import gives the same patches. Returned in
 * reading order.
 */
export function chosenCells(cells: number, cap: number, seed: number): Uint32Array {
  if (cells <= cap) return Uint32Array.from({ length: cells }, (_, i) => i);
  return shuffledIndices(cells, seededRandom(seed)).slice(0, cap).sort();
}

/**
 * Copies the chosen patches of a decoded image (row-major, `channels` interleaved) into one
 * buffer, patch after patch. Returns the patches and their origins (x, y) in the image.
 */
export function cutPatches(
  pixels: Uint8Array,
  imageWidth: number,
  imageHeight: number,
  channels: number,
  plan: PatchPlan,
  seed: number,
): { patches: Uint8Array; origins: Array<[x: number, y: number]> } {
  const { rows, cols } = patchGrid(imageWidth, imageHeight, plan);
  const cells = chosenCells(rows * cols, plan.cap, seed);
  const row = plan.width * channels;
  const size = plan.height * row;
  const patches = new Uint8Array(cells.length * size);
  const origins: Array<[number, number]> = [];
  cells.forEach((cell, k) => {
    const x = (cell % cols) * plan.strideX;
    const y = Math.floor(cell / cols) * plan.strideY;
    origins.push([x, y]);
    for (let r = 0; r < plan.height; r += 1) {
      const from = ((y + r) * imageWidth + x) * channels;
      patches.set(pixels.subarray(from, from + row), k * size + r * row);
    }
  });
  return { patches, origins };
}
