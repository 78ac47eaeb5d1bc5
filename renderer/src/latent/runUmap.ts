import type { RunExplorer } from './explorer.js';
import { gatherRows, umapSample } from './projection.js';
import { defaultUmapSettings, type PlacedCode, type UmapProgress, type UmapSettings } from './umapSettings.js';
import { startUmap, type UmapJob } from './umapOffThread.js';

/** UMAP lays out at most this many test codes: beyond it a layout takes minutes on a laptop. */
export const umapCodeLimit = 5000;

export interface RunUmapState {
  status: 'computing' | 'ready' | 'error';
  progress: UmapProgress;
  settings: UmapSettings;
  /** The test index of each laid-out point, and its label. */
  sample: Int32Array;
  labels: Int32Array;
  testCount: number;
  /** sample.length × 2, packed x, y, once ready. */
  points: Float32Array | null;
  /** Where the sliders' code lands in the layout. */
  marker: PlacedCode | null;
  error: string | null;
}

/** One run's UMAP: its seeded sample of test codes, the layout as it is computed, and the sliders' place in it. */
export class RunUmap {
  readonly state: RunUmapState;
  private readonly job: UmapJob | null;
  private wanted: Float32Array | null = null;
  private placing = false;
  private disposed = false;

  constructor(explorer: Pick<RunExplorer, 'codes' | 'latentSize'>, private readonly onChange: () => void, settings = defaultUmapSettings, limit = umapCodeLimit) {
    const { codes, labels, shape } = explorer.codes;
    const testCount = shape[0] ?? 0;
    const sample = umapSample(testCount, limit, settings.seed);
    this.state = {
      status: 'computing',
      progress: { phase: 'neighbours', done: 0, total: 0 },
      settings,
      sample,
      labels: Int32Array.from(sample, (i) => labels[i] ?? -1),
      testCount,
      points: null,
      marker: null,
      error: null,
    };
    if (sample.length <= settings.nNeighbors) {
      this.job = null;
      this.fail(`UMAP needs more than ${settings.nNeighbors} test codes (this run has ${testCount})`);
      return;
    }
    const rows = gatherRows(codes, explorer.latentSize, sample);
    this.job = startUmap(rows, sample.length, explorer.latentSize, settings, (progress) => {
      this.state.progress = progress;
      this.onChange();
    });
    this.job.layout.then(
      (points) => {
        if (this.disposed) return;
        this.state.points = points;
        this.state.status = 'ready';
        this.onChange();
        this.drain();
      },
      (error: Error) => this.fail(error.message),
    );
  }

  /** Asks where a code lands; while one placement is out, later ones collapse into the latest. */
  place(code: Float32Array): void {
    this.wanted = code;
    this.drain();
  }

  dispose(): void {
    this.disposed = true;
    this.job?.dispose();
  }

  private drain(): void {
    if (this.placing || this.disposed || !this.wanted || !this.job || this.state.status !== 'ready') return;
    const code = this.wanted;
    this.wanted = null;
    this.placing = true;
    void this.job.place(code).then((marker) => {
      this.placing = false;
      if (this.disposed) return;
      this.state.marker = marker;
      this.onChange();
      this.drain();
    });
  }

  private fail(message: string): void {
    if (this.disposed) return;
    this.state.status = 'error';
    this.state.error = message;
    this.onChange();
  }
}
