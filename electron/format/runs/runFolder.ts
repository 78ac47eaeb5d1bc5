import { appendFile, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetricsData, RunState, TestMetrics } from '../../../shared/domain/run.js';
import { LabError } from '../../../shared/result.js';
import { parseVersioned, readVersioned, readVersionedIfPresent, stamp, writeVersioned } from '../versionedFile.js';
import { writeFileAtomic } from '../workspace/atomicWrite.js';
import { makeFolder, writing } from '../workspace/writeFailure.js';
import { CheckpointFolder } from './checkpointFolder.js';
import { codesLayoutFormat, epochMetricsFormat, evaluationFormat, panelLayoutFormat, runConfigFormat, runStateFormat, type StoredRunConfig } from './runFormats.js';

const float32Of = (bytes: Buffer): Float32Array<ArrayBuffer> => new Float32Array(Uint8Array.prototype.slice.call(bytes).buffer);
const bytesOf = (array: Float32Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** The runs of a workspace: one folder per run id. */
export const runsRoot = (workspace: string): string => join(workspace, 'runs');

/** A run folder being created: its config and state are written here, then it is renamed into place. */
export const runStagingPrefix = '.creating-';

/**
 * One run's folder: the layout both the lab (listing, supervising) and the engine (training,
 * checkpointing) use, so neither spells a file name the other does not know. Every JSON file
 * carries a format version and is read through its schema.
 */
export class RunFolder {
  readonly dir: string;

  constructor(
    private readonly workspace: string,
    readonly id: string,
  ) {
    this.dir = join(runsRoot(workspace), id);
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
  checkpoint(which: 'last' | 'best'): CheckpointFolder {
    return new CheckpointFolder(join(this.dir, 'checkpoints', which));
  }
  get evaluationFile(): string {
    return join(this.dir, 'evaluation.json');
  }
  get codesFile(): string {
    return join(this.dir, 'test-codes.f32');
  }
  get codesLayoutFile(): string {
    return join(this.dir, 'test-codes.json');
  }
  /** The reconstruction panel: originals then reconstructions, float32, as `panel.json` describes. */
  get panelFile(): string {
    return join(this.dir, 'panel.f32');
  }
  get panelLayoutFile(): string {
    return join(this.dir, 'panel.json');
  }

  /** A new run appears whole: another process listing the runs never sees a folder without its state. */
  async create(config: StoredRunConfig, state: RunState): Promise<void> {
    const staged = new RunFolder(this.workspace, `${runStagingPrefix}${this.id}`);
    await makeFolder(staged.dir);
    await writeVersioned(runConfigFormat, staged.configFile, config);
    await staged.writeState(state);
    await writing(this.dir, () => rename(staged.dir, this.dir));
  }

  readConfig(): Promise<StoredRunConfig> {
    return readVersioned(runConfigFormat, this.configFile);
  }

  readState(): Promise<RunState> {
    return readVersioned(runStateFormat, this.stateFile);
  }

  writeState(state: RunState): Promise<void> {
    return writeVersioned(runStateFormat, this.stateFile, state);
  }

  async updateState(change: Partial<RunState>): Promise<RunState> {
    const next = { ...(await this.readState()), ...change };
    await this.writeState(next);
    return next;
  }

  writeEvaluation(metrics: TestMetrics): Promise<void> {
    return writeVersioned(evaluationFormat, this.evaluationFile, metrics);
  }

  readEvaluation(): Promise<TestMetrics | null> {
    return readVersionedIfPresent(evaluationFormat, this.evaluationFile);
  }

  /** Codes of the test split, [count × latent], in the split's index order. */
  async writeCodes(codes: Float32Array, count: number): Promise<void> {
    await writeFileAtomic(this.codesFile, bytesOf(codes));
    await writeVersioned(codesLayoutFormat, this.codesLayoutFile, { shape: [count === 0 ? 1 : Math.max(1, codes.length / count)], count });
  }

  /** The test codes, checked against their layout file (runs trained before it existed have one row per test sample). */
  async readCodes(): Promise<Float32Array<ArrayBuffer> | null> {
    const bytes = await readFile(this.codesFile).catch(() => undefined);
    if (!bytes) return null;
    const codes = float32Of(bytes);
    const layout = await readVersionedIfPresent(codesLayoutFormat, this.codesLayoutFile);
    if (layout) expectFloats(this.codesFile, codes.length, layout.count * (layout.shape[0] ?? 1));
    return codes;
  }

  /** Originals (the targets), the outputs as images, and where the task's input is not the target, the inputs as images. */
  async writePanel(shape: readonly number[], count: number, originals: Float32Array, reconstructions: Float32Array, inputs?: { shape: readonly number[]; values: Float32Array }): Promise<void> {
    await writeFileAtomic(this.panelFile, [bytesOf(originals), bytesOf(reconstructions), ...(inputs ? [bytesOf(inputs.values)] : [])]);
    await writeVersioned(panelLayoutFormat, this.panelLayoutFile, { shape: [...shape], count, ...(inputs ? { inputShape: [...inputs.shape] } : {}) });
  }

  /** The panel after an epoch, or null before the first; a damaged panel is an error that names its file. */
  async readPanel(): Promise<{ shape: number[]; originals: Float32Array<ArrayBuffer>; reconstructions: Float32Array<ArrayBuffer>; inputs: Float32Array<ArrayBuffer> | null; inputShape: number[] | null } | null> {
    const layout = await readVersionedIfPresent(panelLayoutFormat, this.panelLayoutFile);
    if (!layout) return null;
    const all = float32Of(await readFile(this.panelFile));
    const size = layout.count * layout.shape.reduce((a, b) => a * b, 1);
    const inputSize = layout.inputShape ? layout.count * layout.inputShape.reduce((a, b) => a * b, 1) : 0;
    expectFloats(this.panelFile, all.length, 2 * size + inputSize);
    return {
      shape: [layout.count, ...layout.shape],
      originals: all.slice(0, size),
      reconstructions: all.slice(size, 2 * size),
      inputs: layout.inputShape ? all.slice(2 * size, 2 * size + inputSize) : null,
      inputShape: layout.inputShape ? [layout.count, ...layout.inputShape] : null,
    };
  }

  /** Appends one epoch's line and syncs it, so the metrics survive a crash right after. */
  async appendMetrics(metrics: EpochMetricsData): Promise<void> {
    await appendFile(this.metricsFile, `${stamp(epochMetricsFormat, metrics)}\n`);
    const handle = await open(this.metricsFile, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Epoch metrics up to `throughEpoch` (a resumed run rewrites what came after its checkpoint). */
  async readMetrics(throughEpoch = Infinity): Promise<EpochMetricsData[]> {
    return (await this.readMetricsReport(throughEpoch)).metrics;
  }

  /**
   * The metrics, and a notice where the file ends in a line cut short — by a crash mid-append;
   * the line is left out and said so, naming the file and the line. Any other bad line is damage
   * and is refused with its line number.
   */
  async readMetricsReport(throughEpoch = Infinity): Promise<{ metrics: EpochMetricsData[]; notice: string | null }> {
    const text = await readFile(this.metricsFile, 'utf8').catch(() => '');
    const lines = text.split('\n');
    let notice: string | null = null;
    const metrics = lines
      .flatMap((line, index) => {
        if (line.trim() === '') return [];
        const last = lines.slice(index + 1).every((rest) => rest.trim() === '');
        try {
          return [parseVersioned(epochMetricsFormat, `${this.metricsFile} line ${index + 1}`, line)];
        } catch (cause) {
          if (last && !line.trimEnd().endsWith('}')) {
            notice = `${this.metricsFile}: line ${index + 1}, the last, was cut short (the lab or its engine stopped while writing it); it is left out — ${line.length} characters of an epoch's figures`;
            return [];
          }
          throw cause;
        }
      })
      .filter((m) => m.epoch <= throughEpoch);
    return { metrics, notice };
  }

  async rewriteMetrics(metrics: EpochMetricsData[]): Promise<void> {
    await writeFileAtomic(this.metricsFile, metrics.map((m) => `${stamp(epochMetricsFormat, m)}\n`).join(''));
  }
}

function expectFloats(file: string, actual: number, expected: number): void {
  if (actual !== expected) throw new LabError('corrupt-file', `${file}: holds ${actual} float32 values where its layout file says ${expected}`);
}
