import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import type { EpochMetricsData, RunState } from '../../../shared/domain/run.js';
import { writeFileAtomic } from '../workspace/atomicWrite.js';

/**
 * One run's folder: the layout both the lab (listing, supervising) and the engine (training,
 * checkpointing) use, so neither spells a file name the other does not know.
 */
export class RunFolder {
  readonly dir: string;

  constructor(
    workspace: string,
    readonly id: string,
  ) {
    this.dir = join(workspace, 'runs', id);
  }

  get configFile(): string {
    return join(this.dir, 'config.json');
  }
  get stateFile(): string {
    return join(this.dir, 'state.json');
  }
  get metricsFile(): string {
    return join(this.dir, 'metrics.jsonl');
  }
  checkpoint(which: 'last' | 'best'): string {
    return join(this.dir, 'checkpoints', which);
  }
  get evaluationFile(): string {
    return join(this.dir, 'evaluation.json');
  }
  get codesFile(): string {
    return join(this.dir, 'test-codes.f32');
  }
  async readCodes(): Promise<Float32Array<ArrayBuffer> | null> {
    const bytes = await readFile(this.codesFile).catch(() => undefined);
    return bytes ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : null;
  }

  /** The reconstruction panel: originals then reconstructions, float32, as `panel.json` describes. */
  get panelFile(): string {
    return join(this.dir, 'panel.f32');
  }
  get panelInfoFile(): string {
    return join(this.dir, 'panel.json');
  }

  async writePanel(shape: readonly number[], count: number, originals: Float32Array, reconstructions: Float32Array): Promise<void> {
    await writeFileAtomic(this.panelFile, [new Uint8Array(originals.buffer, originals.byteOffset, originals.byteLength), new Uint8Array(reconstructions.buffer, reconstructions.byteOffset, reconstructions.byteLength)]);
    await writeFileAtomic(this.panelInfoFile, JSON.stringify({ shape, count }));
  }

  async readPanel(): Promise<{ shape: number[]; originals: Float32Array<ArrayBuffer>; reconstructions: Float32Array<ArrayBuffer> } | null> {
    try {
      const info = JSON.parse(await readFile(this.panelInfoFile, 'utf8')) as { shape: number[]; count: number };
      const bytes = await readFile(this.panelFile);
      const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const size = info.count * info.shape.reduce((a, b) => a * b, 1);
      return { shape: [info.count, ...info.shape], originals: all.slice(0, size), reconstructions: all.slice(size, 2 * size) };
    } catch {
      return null;
    }
  }

  async create(config: ResolvedRunConfig & { name: string }, state: RunState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.configFile, JSON.stringify(config, null, 2));
    await this.writeState(state);
  }

  async readConfig(): Promise<ResolvedRunConfig & { name: string }> {
    return JSON.parse(await readFile(this.configFile, 'utf8')) as ResolvedRunConfig & { name: string };
  }

  async readState(): Promise<RunState> {
    return JSON.parse(await readFile(this.stateFile, 'utf8')) as RunState;
  }

  writeState(state: RunState): Promise<void> {
    return writeFileAtomic(this.stateFile, JSON.stringify(state, null, 2));
  }

  async updateState(change: Partial<RunState>): Promise<RunState> {
    const next = { ...(await this.readState()), ...change };
    await this.writeState(next);
    return next;
  }

  /** Appends one epoch's line and syncs it, so the metrics survive a crash right after. */
  async appendMetrics(metrics: EpochMetricsData): Promise<void> {
    await appendFile(this.metricsFile, `${JSON.stringify(metrics)}\n`);
    const handle = await open(this.metricsFile, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Epoch metrics up to `throughEpoch` (a resumed run rewrites what came after its checkpoint). */
  async readMetrics(throughEpoch = Infinity): Promise<EpochMetricsData[]> {
    const text = await readFile(this.metricsFile, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as EpochMetricsData];
        } catch {
          return []; // a line cut short by a crash
        }
      })
      .filter((m) => m.epoch <= throughEpoch);
  }

  async rewriteMetrics(metrics: EpochMetricsData[]): Promise<void> {
    await writeFileAtomic(this.metricsFile, metrics.map((m) => `${JSON.stringify(m)}\n`).join(''));
  }
}
