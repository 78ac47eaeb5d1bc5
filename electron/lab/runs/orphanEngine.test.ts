import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { processAlive } from '../../format/workspace/workspaceLock.js';
import { projectRoot } from '../appInfo.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { DatasetStore } from '../datasets/store.js';
import { tempDir } from '../testing/fixtures.js';

let workspace: string;
let enginePid = 0;
beforeEach(async () => {
  workspace = await tempDir('aelab-orphan-');
});
afterEach(async () => {
  if (enginePid && processAlive(enginePid)) process.kill(enginePid, 'SIGKILL');
  await rm(workspace, { recursive: true, force: true });
});

/** A host in miniature: forks a real engine as the lab does, starts the run, and prints the engine's pid. */
const parentScript = [
  "import { fork } from 'node:child_process';",
  'const [root, workspace, runId] = process.argv.slice(2);',
  "const engine = fork(root + '/scripts/engine.mjs', ['electron/engine/engineMain.ts'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });",
  "let reported = false;",
  "engine.on('message', (m) => {",
  "  if (m.type === 'ready') engine.send({ type: 'start', workspace, runId });",
  "  if (m.type === 'progress' && !reported) { reported = true; process.stdout.write('training\\n'); }",
  '});',
  "process.stdout.write(engine.pid + '\\n');",
].join('\n');

const epochsWritten = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

describe('an engine whose host is killed', () => {
  it('stops at once, writing no further epoch', async () => {
    const datasets = new DatasetStore(join(workspace, 'datasets'));
    await datasets.save(generateShapes({ count: 600, size: 64, seed: 3 }), 'Shapes', { id: 'large' });
    // Batches of seconds: the engine sends nothing to its parent while it computes one, so
    // only a watcher of its own notices the parent gone before the batch ends.
    const checked = validateRunConfig(
      { datasetId: 'large', architecture: 'dense', objective: 'plain', architectureParams: { hiddenWidths: [4096] }, latentDim: 8, batchSize: 256, epochs: 100, seed: 1 },
      { shape: [64, 64, 1], kind: 'image', unitRange: true },
    );
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    const folder = new RunFolder(workspace, '20250101000000-0000aa');
    await folder.create({ ...checked.config, name: 'orphan' }, {
      status: 'queued', epoch: 0, epochs: 100, backend: null, error: null, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
    });

    const script = join(workspace, 'parent.mjs');
    await writeFile(script, parentScript);
    const parent = spawn(process.execPath, [script, projectRoot(), workspace, folder.id], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += String(d)));
    const deadline = Date.now() + 90_000;
    // Killed right after the first batch is reported: the engine is inside the second.
    while (!out.includes('training') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    enginePid = Number(out.split('\n')[0]);
    expect(enginePid).toBeGreaterThan(0);
    expect(processAlive(enginePid)).toBe(true);
    parent.kill('SIGKILL');
    const killedAt = Date.now();
    const epochsAtKill = epochsWritten(folder.metricsFile);
    while (processAlive(enginePid) && Date.now() - killedAt < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const stoppedAfterMs = Date.now() - killedAt;
    expect(processAlive(enginePid)).toBe(false);
    expect(stoppedAfterMs).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(epochsWritten(folder.metricsFile)).toBe(epochsAtKill);
    expect((await folder.readState()).epoch).toBeLessThanOrEqual(epochsAtKill);
  }, 120_000);
});
