import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { LabError } from '../../shared/result.js';
import { importOptionsSchema } from '../../shared/domain/dataset.js';
import { defaultFashionMnistDir, fashionMnistFiles } from '../lab/datasets/builtin/builtins.js';
import { importSources } from '../lab/datasets/importer.js';
import { collectFromPaths } from '../lab/datasets/sources/collectSources.js';
import { DatasetStore } from '../lab/datasets/store.js';
import { DatasetFolder } from '../format/datasets/datasetFolder.js';
import { projectRoot } from '../lab/appInfo.js';
import type { CliArgs } from './args.js';
import { decodeLatency } from './decodeBench.js';
import { runJsonLine } from './jsonLineProcess.js';
import { safeName } from './output.js';
import { pcaFigure } from './pcaBench.js';
import { trainThroughput } from './trainBench.js';

interface Figure {
  name: string;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  target: number;
}

async function timeImport(name: string, paths: string[], workspace: string, target: number): Promise<Figure> {
  const store = new DatasetStore(join(workspace, name));
  const start = performance.now();
  const outcome = await importSources(await collectFromPaths(paths), importOptionsSchema.parse({}), () => undefined);
  await store.save(outcome.data, name);
  const seconds = (performance.now() - start) / 1000;
  const images = outcome.data.labels.length;
  return { name, images, seconds, imagesPerSecond: images / seconds, target };
}

/** Writes 10,000 Fashion-MNIST images as PNGs in class folders, as a user's image folder would be. */
async function writePngFolder(dir: string, store: DatasetStore, id: string): Promise<void> {
  const preview = await store.preview(id, 400);
  const [h, w] = preview.shape;
  const size = h * w;
  const summary = await store.get(id);
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < 10_000; i += 1) {
    const k = i % preview.indices.length;
    const label = summary.classNames[preview.labels[k] ?? 0] ?? 'unknown';
    const folder = join(dir, label.replace(/[^a-zA-Z0-9-]/g, '_'));
    if (i < summary.classNames.length * 2) await mkdir(folder, { recursive: true });
    const pixels = Buffer.from(preview.pixels.subarray(k * size, (k + 1) * size));
    // Vary pixels so that every file is a distinct image.
    pixels[i % size] = (pixels[i % size] ?? 0) ^ (1 + (i % 200));
    jobs.push(sharp(pixels, { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toBuffer().then((png) => writeFile(join(folder, `${i}.png`), png)));
    if (jobs.length >= 64) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
}

interface AnomalyFigure {
  images?: number;
  seconds?: number;
  imagesPerSecond?: number;
  targetSeconds?: number;
  /** targetSeconds / seconds: above 1 is within the aim. */
  ratioToTarget?: number;
  error?: string;
}

/** The anomaly analysis's scoring of the Fashion-MNIST test split with the lab's conv autoencoder, in its own engine process. */
async function anomalyFigure(datasetFile: string | undefined, say: (line: string) => void): Promise<AnomalyFigure | null> {
  if (!datasetFile) {
    say('skipped: anomaly scoring (no Fashion-MNIST dataset file)');
    return null;
  }
  const figure = await runJsonLine<AnomalyFigure>(process.execPath, [join(projectRoot(), 'scripts', 'engine.mjs'), 'electron/engine/bench/anomalyBench.ts', '--dataset', datasetFile], (error) => ({ error }));
  if (figure.error) say(`anomaly scoring: failed (${figure.error})`);
  else say(`anomaly scoring, conv AE: ${figure.images} test images in ${figure.seconds?.toFixed(2)} s = ${Math.round(figure.imagesPerSecond ?? 0)} images/s (aim: under ${figure.targetSeconds} s; aim/measured = ${figure.ratioToTarget?.toFixed(2)})`);
  return figure;
}

interface ProbeFigure {
  autoencoder?: { model: string; seconds: number };
  codes?: { samples: number; seconds: number };
  softmax?: { samples: number; features: number; seconds: number; epochs: number; steps: number };
  protocol?: { drawsPerCount: number; classifiers: number; seconds: number; extrapolatedDefaultSeconds: number | null };
  error?: string;
}

/**
 * Draws per count the bench measures the probe's default protocol at: the default's 5, the whole
 * protocol (about three minutes on the 2-core machine). Below 5 the default's time is
 * extrapolated from the classifiers measured, and printed as such.
 */
const probeBenchDraws = 5;

/** The probe analysis on Fashion-MNIST (codes once, one softmax regression, the default protocol), in its own engine process. */
async function probeFigure(datasetFile: string | undefined, say: (line: string) => void): Promise<ProbeFigure | null> {
  if (!datasetFile) {
    say('skipped: probe (no Fashion-MNIST dataset file)');
    return null;
  }
  const figure = await runJsonLine<ProbeFigure>(process.execPath, [join(projectRoot(), 'scripts', 'engine.mjs'), 'electron/engine/bench/probeBench.ts', '--dataset', datasetFile, '--draws', String(probeBenchDraws)], (error) => ({ error }));
  if (figure.error) {
    say(`probe: failed (${figure.error})`);
    return figure;
  }
  say(`probe codes, ${figure.autoencoder?.model}: ${figure.codes?.samples} samples in ${figure.codes?.seconds.toFixed(2)} s`);
  say(`probe softmax regression on ${figure.softmax?.samples} × ${figure.softmax?.features} codes: ${figure.softmax?.seconds.toFixed(2)} s (${figure.softmax?.steps} steps; aim: well under 1 s)`);
  const protocol = figure.protocol;
  if (protocol) {
    const scaled = protocol.extrapolatedDefaultSeconds === null ? '' : `; the default 5 draws extrapolated: ${(protocol.extrapolatedDefaultSeconds / 60).toFixed(1)} min`;
    say(`probe protocol (frozen, pixels, PCA, scratch; ${protocol.drawsPerCount} draws per count): ${protocol.classifiers} classifiers in ${(protocol.seconds / 60).toFixed(1)} min${scaled} (aim: minutes)`);
  }
  return figure;
}

export async function benchCommand(args: CliArgs, print: (text: string, json: unknown) => void): Promise<void> {
  const dir = process.env.AELAB_FASHION_MNIST_DIR ?? defaultFashionMnistDir;
  const workspace = await mkdtemp(join(tmpdir(), 'aelab-bench-'));
  const lines: string[] = [];
  const figures: Figure[] = [];
  const say = (line: string): void => {
    lines.push(line);
    if (!args.values.json) process.stdout.write(`${line}\n`);
  };
  const part = args.positionals[0];
  if (part !== undefined && part !== 'renderer') throw new LabError('invalid-request', `bench has one part to run alone, 'renderer'; '${safeName(part)}' was given`);
  if (part === 'renderer') {
    // The decode path and the renderer alone: minutes instead of the whole bench.
    await rm(workspace, { recursive: true, force: true });
    const latency = await decodeLatency(dir, say);
    const summary = { decode: latency?.decode ?? null, renderer: latency?.renderer ?? null };
    return print(JSON.stringify(summary), summary);
  }
  let training: Awaited<ReturnType<typeof trainThroughput>>;
  let pca: Awaited<ReturnType<typeof pcaFigure>>;
  let anomaly: AnomalyFigure | null;
  let probe: ProbeFigure | null;
  try {
    const idx = await timeImport('fashion-mnist-idx', fashionMnistFiles.map((f) => join(dir, f)), workspace, 1.5).catch((cause: unknown) => {
      say(`skipped: Fashion-MNIST IDX import (${(cause as Error).message}; install Debian's dataset-fashion-mnist)`);
      return undefined;
    });
    if (idx) {
      figures.push(idx);
      say(`import Fashion-MNIST IDX: ${idx.images} images in ${idx.seconds.toFixed(2)} s = ${Math.round(idx.imagesPerSecond)} images/s (aim: under ${idx.target} s)`);
      const pngs = join(workspace, 'pngs');
      const idxStore = new DatasetStore(join(workspace, 'fashion-mnist-idx'));
      const idxDataset = (await idxStore.list())[0]?.id ?? '';
      await writePngFolder(pngs, idxStore, idxDataset);
      const png = await timeImport('png-folder', [pngs], workspace, 6);
      figures.push(png);
      say(`import PNG folder: ${png.images} images in ${png.seconds.toFixed(2)} s = ${Math.round(png.imagesPerSecond)} images/s (aim: under ${png.target} s)`);
    }
    // Training reads the imported images as the lab stores them, before the workspace goes.
    const stored = idx ? (await new DatasetStore(join(workspace, 'fashion-mnist-idx')).list())[0] : undefined;
    training = await trainThroughput(dir, stored ? new DatasetFolder(join(workspace, 'fashion-mnist-idx'), stored.id).dataFile : undefined, say);
    pca = await pcaFigure(stored ? new DatasetFolder(join(workspace, 'fashion-mnist-idx'), stored.id).dataFile : undefined, say);
    anomaly = await anomalyFigure(stored ? new DatasetFolder(join(workspace, 'fashion-mnist-idx'), stored.id).dataFile : undefined, say);
    probe = await probeFigure(stored ? new DatasetFolder(join(workspace, 'fashion-mnist-idx'), stored.id).dataFile : undefined, say);
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  const latency = await decodeLatency(dir, say);
  const summary = {
    training,
    pca,
    anomaly,
    probe,
    decode: latency?.decode ?? null,
    renderer: latency?.renderer ?? null,
    import: figures.map((f) => ({ ...f, seconds: Number(f.seconds.toFixed(3)), imagesPerSecond: Math.round(f.imagesPerSecond), ratioToTarget: Number((f.seconds / f.target).toFixed(3)) })),
  };
  print(JSON.stringify(summary), summary);
}
