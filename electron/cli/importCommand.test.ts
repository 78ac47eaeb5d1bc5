import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../shared/domain/dataset.js';
import { LabError } from '../../shared/result.js';
import { Lab } from '../lab/lab.js';
import { png, tempDir, writeFiles } from '../lab/testing/fixtures.js';
import { importCommand } from './importCommand.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function imageFolder(root: string, count: number): Promise<void> {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i += 1) files[`${i % 2 === 0 ? 'even' : 'odd'}/${i}.png`] = await png(16, 16, i);
  await writeFiles(root, files);
}

/** Every file under a folder, as paths relative to it; an absent folder has none. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

const open = (ws: string) => Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' });

describe('aelab import', () => {
  it('prints progress while it decodes, a line per tenth when not on a terminal', async () => {
    await imageFolder(join(dir, 'set'), 40);
    const lines: string[] = [];
    const report = await importCommand(open(join(dir, 'ws')), {
      importId: 'i1',
      paths: [join(dir, 'set')],
      options: importOptionsSchema.parse({}),
      progressOut: { write: (text: string) => lines.push(text) },
      onInterrupt: () => () => undefined,
      quietMs: 0,
    });
    expect(report.dataset.count).toBe(40);
    const decoding = lines.filter((l) => l.startsWith('Decoded'));
    expect(decoding.at(-1)).toBe('Decoded 40 of 40 images 100%\n');
    expect(decoding.length).toBeGreaterThan(1);
    expect(decoding.length).toBeLessThanOrEqual(11);
  });

  it('is cancelled by an interrupt: the import fails as cancelled and nothing is stored', async () => {
    await imageFolder(join(dir, 'set'), 200);
    const ws = join(dir, 'ws');
    const lab = open(ws);
    let interrupt: (() => void) | undefined;
    const lines: string[] = [];
    const stop = lab.on((channel, payload) => {
      if (channel === 'datasets.importProgress' && (payload as { phase: string }).phase === 'decoding') interrupt?.();
    });
    const error = await importCommand(lab, {
      importId: 'i2',
      paths: [join(dir, 'set')],
      options: importOptionsSchema.parse({}),
      progressOut: { write: (text: string) => lines.push(text) },
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
    }).catch((cause: unknown) => cause);
    stop();
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('cancelled');
    expect(lines).toContain('Cancelling the import… (Ctrl+C again stops at once)\n');
    expect(await filesUnder(join(ws, 'datasets'))).toEqual([]);
    expect(await lab.call('datasets.cancelImport', { importId: 'i2' })).toEqual({ importId: 'i2', cancelled: false });
  });

  it.skipIf(process.platform === 'win32')('stops on Ctrl+C in a real process, exits non-zero and leaves no dataset or temporary file', async () => {
    await imageFolder(join(dir, 'set'), 1500);
    const ws = join(dir, 'ws');
    const child = spawn(process.execPath, ['scripts/aelab.mjs', '--workspace', ws, 'import', join(dir, 'set')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && /Decoded \d+ of 1500 images/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(interrupted).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(/aelab: error cancelled: The import was cancelled; nothing was stored\n$/);
    expect(await filesUnder(join(ws, 'datasets'))).toEqual([]);
  }, 120_000);
});
