import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../lab/lab.js';
import { percentile } from './percentile.js';
import { rendererBench, type RendererFigures } from './rendererBench.js';

export interface DecodeLatency {
  decodes: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * From a request to decoded pixels back in the lab, as the latent explorer's slider sees it (28×28
 * decoder); then the same path through the renderer, to the painted frame.
 */
export async function decodeLatency(fashionDir: string, say: (line: string) => void): Promise<{ decode: DecodeLatency; renderer: RendererFigures | { skipped: string } } | undefined> {
  if (!existsSync(join(fashionDir, 'train-images-idx3-ubyte.gz'))) return undefined;
  const workspace = await mkdtemp(join(tmpdir(), 'aelab-decode-'));
  const lab = Lab.open({ workspace, host: 'cli', fashionMnistDir: fashionDir });
  try {
    await lab.ensureBuiltins();
    const run = await lab.call('runs.create', {
      config: { datasetId: 'fashion-mnist', architecture: 'dense', objective: 'variational', latentDim: 2, epochs: 1, reconstructionLoss: 'bce', architectureParams: { hiddenWidths: [256] } },
    });
    await lab.runs.idle();
    const latents = new Float32Array(2);
    await lab.call('runs.decode', { id: run.id, latents, count: 1 });
    const times: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      latents[0] = Math.sin(i / 20) * 2;
      latents[1] = Math.cos(i / 30) * 2;
      const start = performance.now();
      await lab.call('runs.decode', { id: run.id, latents, count: 1 });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const result = { decodes: times.length, p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
    say(`decode one 28×28 image (slider path, lab → engine → lab): p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms over ${result.decodes} decodes`);
    return { decode: result, renderer: await rendererBench(lab, run.id, say) };
  } finally {
    lab.models.closeAll();
    await rm(workspace, { recursive: true, force: true });
  }
}
