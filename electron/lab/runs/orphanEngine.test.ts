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
  it('stops inside the batch it was computing, writing no further epoch or checkpoint', async () => {
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
    const parent = spawn(process.execPath, [script, projectRoot(), workspace, folder.id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    // The engine inherits the parent's stderr: the pipe closes once both are gone.
    let engineErrors = '';
    parent.stderr.on('data', (d: Buffer) => (engineErrors += String(d)));
    const stderrClosed = new Promise((resolve) => parent.stderr.on('close', resolve));
    parent.stdout.on('data', (d: Buffer) => (out += String(d)));
    const deadline = Date.now() + 90_000;
    // Killed right after the first batch is reported: the engine is inside the second.
    while (!out.includes('training') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    enginePid = Number(out.split('\n')[0]);
    expect(enginePid).toBeGreaterThan(0);
    expect(processAlive(enginePid)).toBe(true);
    parent.kill('SIGKILL');
    const epochsAtKill = epochsWritten(folder.metricsFile);
    expect(epochsAtKill).toBe(0);
    // 480 training samples are two batches: the orphan is in the last batch of epoch 1, whose end
    // writes a line of metrics.jsonl and then the first checkpoint, a restarted host's resume point.
    // Whichever comes first ends the wait: the engine gone, or that epoch written.
    while (processAlive(enginePid) && epochsWritten(folder.metricsFile) === epochsAtKill) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(processAlive(enginePid)).toBe(false);
    expect(epochsWritten(folder.metricsFile)).toBe(epochsAtKill);
    expect(existsSync(folder.checkpoint('last').stateFile)).toBe(false);
    expect((await folder.readState()).epoch).toBe(epochsAtKill);
    // Stopped inside the batch it was computing: an engine that only finds its parent gone when
    // that batch ends dies reporting it to the closed channel (EPIPE), and says so on stderr.
    await stderrClosed;
    expect(engineErrors).not.toMatch(/EPIPE|ERR_IPC_CHANNEL_CLOSED|Unhandled 'error'/);
  }, 120_000);
});
