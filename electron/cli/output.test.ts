import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { png, writeFiles } from '../lab/testing/fixtures.js';
import { captureCliOutput } from './testing/capturedOutput.js';
import { main } from './main.js';
import { safeName, terminalSafe } from './output.js';

describe('names printed for a terminal', () => {
  it('shows control characters and bidirectional overrides visibly', () => {
    expect(safeName('red\u001b[31mset')).toBe('red\\x1b[31mset');
    expect(safeName('a\nb\tc\u0007\u009b2J')).toBe('a\\x0ab\\x09c\\x07\\x9b2J');
    expect(safeName('abc\u202egpj.exe')).toBe('abc\\u202egpj.exe');
    expect(safeName('Ünïcode ×2 C:\\data')).toBe('Ünïcode ×2 C:\\data');
  });

  it('keeps the line breaks of a text the CLI laid out itself', () => {
    expect(terminalSafe('line 1\n\tline \u001b]0;title\u0007 2')).toBe('line 1\n\tline \\x1b]0;title\\x07 2');
  });
});

describe('aelab human output', () => {
  const captured = captureCliOutput();

  it('prints a dataset named after a folder with an escape sequence escaped, in datasets, import and errors', async () => {
    const { dir, out, err } = captured;
    const ws = join(dir, 'ws');
    const folder = 'red\u001b[31mset';
    await writeFiles(dir, { [`${folder}/a/1.png`]: await png(8, 8, 1), [`${folder}/b/2.png`]: await png(8, 8, 2), [`${folder}/b/bad\u001b[2J.png`]: 'text' });
    expect(await main(['--workspace', ws, 'import', join(dir, folder)])).toBe(0);
    const imported = out.join('');
    expect(imported).toContain("('red\\x1b[31mset')");
    expect(imported).toContain('bad\\x1b[2J.png');
    expect(imported).not.toContain('\u001b');

    out.length = 0;
    expect(await main(['--workspace', ws, 'datasets'])).toBe(0);
    const table = out.join('');
    expect(table).toMatch(/\nred-31mset\s+red\\x1b\[31mset\s+2\s+8×8×1/);
    expect(table).not.toContain('\u001b');

    expect(await main(['--workspace', ws, 'import', join(dir, 'gone\u001b[31m')])).toBe(1);
    expect(err.join('')).toContain('gone\\x1b[31m: no such file or folder');
    expect(err.join('')).not.toContain('\u001b');
  });
});
