import { runJsonLine } from './jsonLineProcess.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lab/appInfo.js';
import { defaultFashionMnistDir } from '../lab/datasets/builtin/builtins.js';

export interface PcaFigure {
  /** The engine's PCA, load excluded. */
  seconds?: number;
  method?: 'exact' | 'randomized';
  dimension?: number;
  components?: number;
  eigenvalues?: number;
  trainCount?: number;
  phases?: { covariance: number; decomposition: number; evaluation: number };
  explainedVarianceRatio?: number;
  testMse?: number;
  peakRssBytes?: number;
  /** scikit-learn's PCA(n_components=256, svd_solver='randomized') fit on the same images, where .venv has it. */
  sklearnRandomizedSeconds?: number;
  /** seconds / sklearnRandomizedSeconds */
  ratioToSklearn?: number;
  error?: string;
}

/**
 * The engine's PCA of Fashion-MNIST as the lab stores it (`datasetFile`), and, where the
 * project's .venv has scikit-learn, the time its randomized PCA of 256 components takes.
 */
export async function pcaFigure(datasetFile: string | undefined, say: (line: string) => void): Promise<PcaFigure | null> {
  if (!datasetFile) {
    say('skipped: PCA (no Fashion-MNIST dataset file)');
    return null;
  }
  const root = projectRoot();
  const figure = await runJsonLine<PcaFigure>(process.execPath, [join(root, 'scripts', 'engine.mjs'), 'electron/engine/bench/pcaBench.ts', '--dataset', datasetFile], (error) => ({ error }) as PcaFigure);
  if (figure.error) {
    say(`pca fashion-mnist: failed (${figure.error})`);
    return figure;
  }
  const python = join(root, '.venv', 'bin', 'python');
  const dataDir = process.env.AELAB_FASHION_MNIST_DIR ?? defaultFashionMnistDir;
  const reference = existsSync(python)
    ? await runJsonLine<{ sklearnRandomizedSeconds?: number; error?: string }>(python, [
        join(root, 'scripts', 'bench', 'pca_reference.py'),
        '--time-only',
        '--data',
        dataDir,
        // The same number of rows as the lab's train split, which leaves out its validation share.
        ...(figure.trainCount ? ['--train-count', String(figure.trainCount)] : []),
      ], (error) => ({ error }))
    : { error: `no ${python}` };
  const seconds = figure.seconds ?? NaN;
  const what = figure.method === 'exact' ? `exact: all ${figure.eigenvalues} eigenvalues, ${figure.components} components` : `randomized, ${figure.components} components`;
  if (reference.sklearnRandomizedSeconds) {
    figure.sklearnRandomizedSeconds = reference.sklearnRandomizedSeconds;
    figure.ratioToSklearn = seconds / reference.sklearnRandomizedSeconds;
    say(`pca fashion-mnist, ${figure.trainCount}×${figure.dimension}: ${seconds.toFixed(1)} s (${what}); scikit-learn randomized PCA 256: ${reference.sklearnRandomizedSeconds.toFixed(1)} s = ${figure.ratioToSklearn.toFixed(2)}× its time`);
  } else {
    say(`pca fashion-mnist, ${figure.trainCount}×${figure.dimension}: ${seconds.toFixed(1)} s (${what}); skipped: the scikit-learn comparison (${reference.error ?? 'no figure'}; scripts/install-test-deps.sh makes .venv)`);
  }
  return figure;
}
