import { ESLint } from 'eslint';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layers } from '../eslint.config.js';

const eslint = new ESLint();

async function refused(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

type LayerName = keyof typeof layers;
const names = Object.keys(layers) as LayerName[];
const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}/`);
const allowed = (from: LayerName, to: LayerName): boolean => within(from, to) || within(to, from) || (layers[from]?.may ?? []).some((m) => within(to, m));

/** An import, written as the code would write it: relative from a file two folders down in `from`. */
function importOf(from: LayerName, to: LayerName): { file: string; code: string } {
  const file = `${from}/inner/x.ts`;
  const spec = posix.relative(posix.dirname(file), `${to}/module.js`);
  return { file, code: `import { thing } from '${spec.startsWith('.') ? spec : `./${spec}`}'; export const f = thing;` };
}

describe('the layer table', () => {
  // Every arrow of the table, both ways: a wrong import fails lint, an allowed one passes.
  const arrows = names.flatMap((from) => names.filter((to) => to !== from).map((to) => [from, to, allowed(from, to)] as const));

  it.each(arrows)('%s → %s allowed: %s', async (from, to, ok) => {
    const { file, code } = importOf(from, to);
    expect(await refused(file, code)).toBe(!ok);
  });

  it('refuses the imports that matter most', () => {
    // The arrows the layering exists for, spelled out so a change to the table that allows one shows here.
    expect(allowed('electron/web', 'electron/engine')).toBe(false);
    expect(allowed('electron/cli', 'electron/engine')).toBe(false);
    expect(allowed('electron/main', 'electron/engine')).toBe(false);
    expect(allowed('electron/engine', 'electron/lab')).toBe(false);
    expect(allowed('electron/format', 'electron/lab')).toBe(false);
    expect(allowed('electron/format', 'electron/engine')).toBe(false);
    expect(allowed('electron/lab', 'electron/engine')).toBe(false);
    expect(allowed('electron/lab', 'electron/web')).toBe(false);
    expect(allowed('renderer', 'electron/format')).toBe(false);
  });

  it('lets engine test data come from the Shapes generator and nothing else of the lab', async () => {
    expect(await refused('electron/engine/testing/x.ts', "import { generateShapes } from '../../lab/datasets/builtin/shapes.js'; export const f = generateShapes;")).toBe(false);
    expect(await refused('electron/engine/testing/x.ts', "import { Lab } from '../../lab/lab.js'; export const f = Lab;")).toBe(true);
    expect(await refused('electron/engine/runs/x.ts', "import { generateShapes } from '../../lab/datasets/builtin/shapes.js'; export const f = generateShapes;")).toBe(true);
  });
});

describe('runtime libraries', () => {
  it.each([
    ['shared/x.ts', "import { readFile } from 'node:fs'; export const f = readFile;"],
    ['shared/x.ts', "import { ref } from 'vue'; export const f = ref;"],
    ['renderer/src/x.ts', "import sharp from 'sharp'; export const f = sharp;"],
    ['electron/lab/x.ts', "import { app } from 'electron'; export const f = app;"],
    ['electron/lab/x.ts', "import * as tf from '@tensorflow/tfjs-node'; export const f = tf;"],
    ['electron/format/x.ts', "import * as tf from '@tensorflow/tfjs-node'; export const f = tf;"],
    ['electron/web/x.ts', "import { app } from 'electron'; export const f = app;"],
    ['electron/main/x.ts', "import * as tf from '@tensorflow/tfjs-node'; export const f = tf;"],
    ['electron/preload/x.ts', "import { readFile } from 'node:fs'; export const f = readFile;"],
    ['electron/engine/x.ts', "import { app } from 'electron'; export const f = app;"],
  ])('%s may not: %s', async (file, code) => {
    expect(await refused(file, code)).toBe(true);
  });

  it.each([
    ['shared/x.ts', "import { z } from 'zod'; export const f = z;"],
    ['renderer/src/x.ts', "import { requestSchemas } from '../../shared/contract/labApi.js'; export const f = requestSchemas;"],
    ['electron/lab/x.ts', "import { readFile } from 'node:fs'; export const f = readFile;"],
    ['electron/format/x.ts', "import { z } from 'zod'; import { readFile } from 'node:fs'; export const f = [z, readFile];"],
    ['electron/engine/x.ts', "import * as tf from '@tensorflow/tfjs-node'; export const f = tf;"],
    ['electron/main/x.ts', "import { app } from 'electron'; export const f = app;"],
  ])('%s may: %s', async (file, code) => {
    expect(await refused(file, code)).toBe(false);
  });
});
