import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('folder boundaries', () => {
  it.each([
    ['shared/x.ts', "import { readFile } from 'node:fs'; export const f = readFile;"],
    ['shared/x.ts', "import { Lab } from '../electron/lab/lab.js'; export const f = Lab;"],
    ['renderer/src/x.ts', "import sharp from 'sharp'; export const f = sharp;"],
    ['renderer/src/x.ts', "import { Lab } from '../../electron/lab/lab.js'; export const f = Lab;"],
    ['electron/lab/x.ts', "import { app } from 'electron'; export const f = app;"],
    ['electron/lab/x.ts', "import * as tf from '@tensorflow/tfjs-node'; export const f = tf;"],
    ['electron/lab/x.ts', "import { startWebHost } from '../web/webHost.js'; export const f = startWebHost;"],
    ['electron/web/x.ts', "import { app } from 'electron'; export const f = app;"],
  ])('%s may not: %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['renderer/src/x.ts', "import { requestSchemas } from '../../shared/contract/labApi.js'; export const f = requestSchemas;"],
    ['electron/lab/x.ts', "import { readFile } from 'node:fs'; export const f = readFile;"],
    ['electron/main/x.ts', "import { app } from 'electron'; export const f = app;"],
  ])('%s may: %s', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain('no-restricted-imports');
  });
});
