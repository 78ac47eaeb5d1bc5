import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { png, tempDir, writeFiles } from '../lab/testing/fixtures.js';
import { main } from './main.js';

let dir: string;
let ws: string;
let out: string[];
let err: string[];
beforeEach(async () => {
  dir = await tempDir('aelab-check-');
  ws = join(dir, 'ws');
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  process.env.AELAB_FASHION_MNIST_DIR = '';
  // The built-ins are not what these tests are about: the ledger says they were made (and deleted) already.
  await writeFiles(ws, { 'builtins.json': '{"formatVersion":1,"shapes":true,"colourShapes":true}' });
});
afterEach(async () => {
  vi.restoreAllMocks();
  delete process.env.AELAB_FASHION_MNIST_DIR;
  await rm(dir, { recursive: true, force: true });
});

describe('aelab check', () => {
  it('lists a damaged dataset with its file, problem and remedy, escaping control characters, and --repair quarantines it', async () => {
    await writeFiles(dir, { 'set/a/1.png': await png(8, 8, 1), 'set/b/2.png': await png(8, 8, 2) });
    expect(await main(['--workspace', ws, 'import', join(dir, 'set'), '--name', 'Mine'])).toBe(0);
    const meta = join(ws, 'datasets', 'mine', 'meta.json');
    await writeFile(meta, '{"name": "\u001b[2Jgone');
    out.length = 0;

    expect(await main(['--workspace', ws, 'datasets'])).toBe(0);
    expect(out.join('')).toMatch(/damaged \(aelab check says more\):\n {2}datasets\/mine: datasets\/mine\/meta\.json: the dataset meta is not valid JSON/);

    out.length = 0;
    expect(await main(['--workspace', ws, 'check'])).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/^1 damaged item:\n {2}dataset {2}datasets\/mine\n {4}problem: datasets\/mine\/meta\.json: the dataset meta is not valid JSON/);
    expect(text).toMatch(/ {4}remedy: {2}Fix meta\.json by hand/);
    expect(text).not.toContain('\u001b');
    expect(err.join('')).toMatch(/error corrupt-file: 1 damaged item in the workspace; aelab check --repair moves them to quarantine/);

    out.length = 0;
    expect(await main(['--workspace', ws, '--json', 'check', '--repair'])).toBe(0);
    const { repair } = JSON.parse(out.join('')) as { repair: { quarantine: string; moved: Array<{ path: string }> } };
    expect(repair.moved.map((m) => m.path)).toEqual(['datasets/mine']);
    expect(existsSync(join(ws, 'datasets', 'mine'))).toBe(false);
    expect(await readFile(join(ws, repair.quarantine, 'datasets', 'mine', 'meta.json'), 'utf8')).toBe('{"name": "\u001b[2Jgone');

    out.length = 0;
    expect(await main(['--workspace', ws, 'check'])).toBe(0);
    expect(out.join('')).toMatch(/^Nothing damaged; every dataset still matches the content hash stored at its import\./);
  });
});
