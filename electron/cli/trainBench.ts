import { runJsonLine } from './jsonLineProcess.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lab/appInfo.js';

export interface ThroughputFigure {
  backend: string;
  model: 'dense' | 'conv';
  trainSamplesPerSecond?: number;
  encodeSamplesPerSecond?: number;
  peakRssBytes?: number;
  /** TensorFlow's intra-op threads, as the engine chose them for this step size. */
  intraOpThreads?: number;
  /** Whether the step ran as one compiled TensorFlow function (else op by op). */
  compiledStep?: boolean;
  finalLoss?: number;
  tensorsPerEpoch?: number[];
  error?: string;
}

const failedFigure = (error: string): ThroughputFigure => ({ backend: '', model: 'dense', error });

/** A Python that has PyTorch: $AELAB_TORCH_PYTHON, else the first of python3 and Debian's. */
async function torchPython(): Promise<string | undefined> {
  const candidates = [process.env.AELAB_TORCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    const probe = await runJsonLine(python, ['-c', 'import json, torch; print(json.dumps({"backend": torch.__version__, "model": "dense"}))'], failedFigure);
    if (!probe.error) return python;
  }
  return undefined;
}

/** Batches per backend: enough for a stable figure, few where a backend is known to be slow. */
const batchesFor: Record<string, Record<'dense' | 'conv', number>> = {
  tensorflow: { dense: 200, conv: 200 },
  wasm: { dense: 30, conv: 5 },
  cpu: { dense: 10, conv: 2 },
  pytorch: { dense: 200, conv: 200 },
};

/** `dataDir`: Fashion-MNIST's IDX files (the PyTorch twin reads them); `datasetFile`: the same images as the lab stores them. */
export async function trainThroughput(dataDir: string, datasetFile: string | undefined, say: (line: string) => void): Promise<ThroughputFigure[]> {
  if (!datasetFile || !existsSync(join(dataDir, 'train-images-idx3-ubyte.gz'))) {
    say(`skipped: training throughput (no Fashion-MNIST at ${dataDir})`);
    return [];
  }
  const figures: ThroughputFigure[] = [];
  const python = await torchPython();
  if (!python) say('skipped: the PyTorch column (no Python with torch: pip install torch, or apt-get install python3-torch)');
  for (const model of ['dense', 'conv'] as const) {
    const twin = python
      ? await runJsonLine(python, [join(projectRoot(), 'scripts', 'bench', 'torch_twin.py'), '--model', model, '--data', dataDir, '--batches', String(batchesFor.pytorch?.[model]), '--threads', '2'], (error): ThroughputFigure => ({ backend: 'pytorch', model, error }))
      : undefined;
    if (twin) {
      figures.push(twin);
      say(twin.error ? `train ${model}, ${twin.backend}: failed (${twin.error})` : `train ${model}, ${twin.backend}: ${Math.round(twin.trainSamplesPerSecond ?? 0)} samples/s; encode ${Math.round(twin.encodeSamplesPerSecond ?? 0)} samples/s`);
    }
    for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
      const figure = await runJsonLine(process.execPath, [
        join(projectRoot(), 'scripts', 'engine.mjs'),
        'electron/engine/bench/trainThroughput.ts',
        '--backend', backend, '--model', model, '--dataset', datasetFile, '--batches', String(batchesFor[backend]?.[model]),
      ], failedFigure);
      figure.backend = backend;
      figure.model = model;
      figures.push(figure);
      if (figure.error) {
        say(`train ${model}, ${backend}: failed (${figure.error})`);
        continue;
      }
      const ratio = twin?.trainSamplesPerSecond ? ` = ${((figure.trainSamplesPerSecond ?? 0) / twin.trainSamplesPerSecond).toFixed(2)}× PyTorch` : '';
      const encodeRatio = twin?.encodeSamplesPerSecond ? ` (${((figure.encodeSamplesPerSecond ?? 0) / twin.encodeSamplesPerSecond).toFixed(2)}×)` : '';
      const threads = backend === 'tensorflow' && figure.intraOpThreads ? `${figure.intraOpThreads} intra-op thread${figure.intraOpThreads === 1 ? '' : 's'}` : '';
      const how = [figure.compiledStep ? 'compiled step' : '', threads].filter(Boolean).join(', ');
      say(
        `train ${model}, ${backend}${how ? ` (${how})` : ''}: ${Math.round(figure.trainSamplesPerSecond ?? 0)} samples/s${ratio}; encode ${Math.round(figure.encodeSamplesPerSecond ?? 0)} samples/s${encodeRatio}; peak RSS ${((figure.peakRssBytes ?? 0) / 1024 ** 3).toFixed(2)} GiB`,
      );
    }
  }
  return figures;
}
