import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { builtinsLedgerFormat } from '../../../format/datasets/datasetFormats.js';
import { readVersionedIfPresent, writeVersioned } from '../../../format/versionedFile.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';
import type { DatasetStore } from '../store.js';
import { builtinColourShapes, generateColourShapes } from './colourShapes.js';
import { builtinShapes, generateShapes } from './shapes.js';

export const defaultFashionMnistDir = '/usr/share/datasets/fashion-mnist';
export const fashionMnistFiles = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

export interface BuiltinOptions {
  /** Where Debian's dataset-fashion-mnist package puts the files; '' turns the lookup off. */
  fashionMnistDir: string;
}


export const builtinsLedgerFile = (workspace: string): string => join(workspace, 'builtins.json');

/**
 * Which built-ins were made once. A file that cannot be read is refused by name, as the saved
 * configurations are, and never overwritten: it is what keeps a deleted built-in deleted.
 */
export async function readBuiltinsLedger(workspace: string): Promise<{ shapes?: boolean; colourShapes?: boolean; fashionMnist?: string }> {
  try {
    return (await readVersionedIfPresent(builtinsLedgerFormat, builtinsLedgerFile(workspace))) ?? {};
  } catch (cause) {
    if (cause instanceof LabError) {
      throw new LabError(cause.code, `${cause.message}; fix or move the file (aelab check --repair moves it to quarantine) — it records which built-in datasets were made and which you deleted, and none is made until it can be read`);
    }
    throw cause;
  }
}

/**
 * Creates Shapes and Colour Shapes on first start and registers Fashion-MNIST where it is
 * installed, each once: a built-in dataset the user deleted stays deleted, and a workspace made
 * before Colour Shapes existed gets it once, at its next start. Returns whether anything was added.
 */
export async function ensureBuiltins(store: DatasetStore, workspace: string, options: BuiltinOptions): Promise<boolean> {
  const ledger = builtinsLedgerFile(workspace);
  const registered = await readBuiltinsLedger(workspace);
  let added = false;
  if (!registered.shapes) {
    await store.save(generateShapes(builtinShapes), 'Shapes', { builtin: true, id: 'shapes' });
    registered.shapes = true;
    added = true;
    await writeVersioned(builtinsLedgerFormat, ledger, registered);
  }
  if (!registered.colourShapes) {
    await store.save(generateColourShapes(builtinColourShapes), 'Colour Shapes', { builtin: true, id: 'colour-shapes' });
    registered.colourShapes = true;
    added = true;
    await writeVersioned(builtinsLedgerFormat, ledger, registered);
  }
  const dir = options.fashionMnistDir;
  if (dir === '' || registered.fashionMnist === dir) return added;
  const paths = fashionMnistFiles.map((f) => join(dir, f));
  try {
    await Promise.all(paths.map((p) => access(p)));
  } catch {
    return added;
  }
  const outcome = await importSources(await collectFromPaths(paths), importOptionsSchema.parse({}), () => undefined);
  await store.save(outcome.data, 'Fashion-MNIST', { builtin: true, id: 'fashion-mnist' });
  registered.fashionMnist = dir;
  await writeVersioned(builtinsLedgerFormat, ledger, registered);
  return true;
}
