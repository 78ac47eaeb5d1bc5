import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImageShape, psnr, ssim } from '../../../shared/imaging/metrics.js';
import { seededRandom } from '../../../shared/random.js';
import { missingPythonModule, referencePython as python } from '../testing/referencePython.js';

const noScikitImage = missingPythonModule('skimage');

/** A target with structure (smooth waves per channel plus texture) and an output degraded from it by seeded noise and a shift of level. */
function pair(shape: ImageShape, seed: number, amplitude: number): { target: Float32Array; output: Float32Array } {
  const random = seededRandom(seed);
  const { height, width, channels } = shape;
  const target = new Float32Array(height * width * channels);
  const output = new Float32Array(target.length);
  const phases = Array.from({ length: channels }, () => 6 * random());
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      for (let c = 0; c < channels; c += 1) {
        const i = (y * width + x) * channels + c;
        const smooth = 0.5 + 0.35 * Math.sin(x / 3 + (phases[c] as number)) * Math.cos(y / 4 - (phases[c] as number));
        target[i] = Math.min(1, Math.max(0, smooth + 0.15 * (random() - 0.5)));
        output[i] = Math.min(1, Math.max(0, (target[i] as number) + amplitude * (random() - 0.5) + 0.02));
      }
    }
  }
  return { target, output };
}

const cases: { shape: ImageShape; seed: number; amplitude: number }[] = [
  { shape: { height: 32, width: 32, channels: 3 }, seed: 1, amplitude: 0.1 },
  { shape: { height: 32, width: 32, channels: 3 }, seed: 2, amplitude: 0.5 },
  { shape: { height: 17, width: 23, channels: 3 }, seed: 3, amplitude: 0.3 },
  { shape: { height: 11, width: 11, channels: 1 }, seed: 4, amplitude: 0.2 },
  { shape: { height: 28, width: 40, channels: 1 }, seed: 5, amplitude: 0.05 },
];

const script = [
  'import json, sys',
  'import numpy as np',
  'from skimage.metrics import structural_similarity, peak_signal_noise_ratio',
  'data = np.fromfile(sys.argv[1], dtype="<f8")',
  'out, at = [], 0',
  'for h, w, c in json.loads(sys.argv[2]):',
  '    n = h * w * c',
  '    x = data[at:at + n].reshape(h, w, c); y = data[at + n:at + 2 * n].reshape(h, w, c); at += 2 * n',
  '    s = structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1, channel_axis=-1)',
  '    out.append({"ssim": float(s), "psnr": float(peak_signal_noise_ratio(x, y, data_range=1))})',
  'print(json.dumps(out))',
].join('\n');

describe('SSIM and PSNR against scikit-image', () => {
  it.skipIf(noScikitImage !== null)(`agree with structural_similarity (Wang et al. 2004 settings) and peak_signal_noise_ratio to 1e-6 ${noScikitImage ? `(skipped: ${noScikitImage})` : ''}`, () => {
    const pairs = cases.map((c) => pair(c.shape, c.seed, c.amplitude));
    // float64 on the wire: the float32 values exactly, so scikit-image computes in float64 as the lab does.
    const values = pairs.flatMap((p) => [...p.target, ...p.output]);
    const directory = mkdtempSync(join(tmpdir(), 'aelab-ssim-'));
    try {
      const file = join(directory, 'images.f64');
      writeFileSync(file, Buffer.from(new Float64Array(values).buffer));
      const shapes = JSON.stringify(cases.map((c) => [c.shape.height, c.shape.width, c.shape.channels]));
      const reference = JSON.parse(execFileSync(python, ['-c', script, file, shapes]).toString()) as { ssim: number; psnr: number }[];
      expect(reference).toHaveLength(cases.length);
      cases.forEach((c, k) => {
        const { target, output } = pairs[k] as { target: Float32Array; output: Float32Array };
        const expected = reference[k] as { ssim: number; psnr: number };
        expect(Math.abs(ssim(target, output, c.shape) - expected.ssim)).toBeLessThan(1e-6);
        expect(Math.abs(psnr(target, output) - expected.psnr)).toBeLessThan(1e-6);
      });
      // The cases span the scale, so agreement is not an artefact of values near 1.
      expect(Math.min(...reference.map((r) => r.ssim))).toBeLessThan(0.6);
      expect(Math.max(...reference.map((r) => r.ssim))).toBeGreaterThan(0.9);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
