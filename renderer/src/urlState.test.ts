import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../shared/contract/channels.js';
import type { RunSummary } from '../../shared/domain/run.js';
import { useCompareStore } from './stores/compare.js';
import { useDatasetsStore } from './stores/datasets.js';
import { useLabStore } from './stores/lab.js';
import { useLatentStore } from './stores/latent.js';
import { useRunsStore } from './stores/runs.js';
import { FakeLab, fail, ok, useFakeLab } from './testing/fakeLab.js';
import { formatHash, parseHash, writeUrlState, type UrlHost } from './urlState.js';
import { syncUrlState } from './urlSync.js';

const runA = '20260101120000-aaaaaa';
const runB = '20260101120100-bbbbbb';
const runC = '20260101120200-cccccc';
const gone = '20250101120000-dddddd';

/** The browser host's address, token in the query, with the hash the test gives. */
function hostAt(hash: string): UrlHost & { urls: string[] } {
  const host = {
    urls: [] as string[],
    location: { pathname: '/', search: '?token=abc-123_x', hash },
    history: {
      state: null,
      replaceState(_data: unknown, _unused: string, url: string) {
        host.urls.push(url);
        host.location.hash = url.includes('#') ? url.slice(url.indexOf('#')) : '';
      },
    },
  };
  return host;
}

describe('the URL state', () => {
  it('round-trips view, dataset, run, compared and explored runs', () => {
    const state = { view: 'compare', dataset: 'toy-shapes', run: runA, compare: [runA, runB], latent: [runB] };
    expect(formatHash(state)).toBe(`#view=compare&dataset=toy-shapes&run=${runA}&compare=${runA},${runB}&latent=${runB}`);
    expect(parseHash(formatHash(state))).toEqual(state);
    expect(formatHash({})).toBe('');
  });

  it('drops quietly what does not look like what it names', () => {
    expect(parseHash('#view=<script>&dataset=../../etc&run=42&compare=x,%ZZ,' + runA + ',' + runA + '&latent=')).toEqual({ compare: [runA] });
    expect(parseHash('garbage=%E0%A4%A')).toEqual({});
    expect(parseHash('')).toEqual({});
  });

  it('keeps the token in the query when it writes, and leaves no empty hash', () => {
    const host = hostAt('#view=runs');
    writeUrlState(host, { run: runA });
    expect(host.urls.at(-1)).toBe(`/?token=abc-123_x#view=runs&run=${runA}`);
    writeUrlState(host, { run: null, view: undefined });
    expect(host.urls.at(-1)).toBe('/?token=abc-123_x');
    const writes = host.urls.length;
    writeUrlState(host, { compare: [] });
    expect(host.urls).toHaveLength(writes);
  });
});

const run = (id: string, status: RunSummary['status'], datasetId = 'shapes'): RunSummary => ({
  id, name: id, status, epoch: 1, epochs: 1, backend: null, error: null, createdAt: '2026-01-01', startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
  config: { datasetId, task: 'reconstruct', taskParams: {}, architecture: 'dense', objective: 'plain', architectureParams: {}, objectiveParams: {}, latentDim: 2, reconstructionLoss: 'mse', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 8, epochs: 1, earlyStoppingPatience: 0, seed: 1 },
});

/** Two datasets, two trained runs and one queued. */
class WorkspaceLab extends FakeLab {
  protected answer(channel: RequestChannel, payload: unknown) {
    const id = (payload as { id?: string }).id;
    if (channel === 'datasets.list') return ok(['shapes', 'digits'].map((d) => ({ id: d, name: d, classNames: [], shape: [28, 28, 1] })));
    if (channel === 'datasets.preview') return ok({ datasetId: id, shape: [28, 28, 1], indices: new Int32Array(0), labels: new Int32Array(0), pixels: new Uint8Array(0) });
    if (channel === 'runs.list') return ok([run(runA, 'completed'), run(runB, 'completed'), run(runC, 'queued')]);
    if (channel === 'runs.get') return ok({ run: run(id ?? '', 'completed'), metrics: [], evaluation: null, panel: null });
    if (channel === 'runs.codes' || channel === 'runs.sample') return fail('not-found', 'not needed here');
    return undefined;
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('the stores restored from the URL', () => {
  useFakeLab(() => new WorkspaceLab());

  it('opens the view, selects the dataset and run, and restores the comparison and explorer once the lists load', async () => {
    const host = hostAt(`#view=compare&dataset=digits&run=${runB}&compare=${runA},${gone},${runC},${runB}&latent=${runB},${runA}`);
    const stop = syncUrlState(host, ['datasets', 'runs', 'compare', 'latent']);
    const lab = useLabStore();
    const datasets = useDatasetsStore();
    const runs = useRunsStore();
    expect(lab.view).toBe('compare');
    await datasets.refresh();
    await runs.refresh();
    await flush();
    expect(datasets.selectedId).toBe('digits');
    expect(runs.selectedId).toBe(runB);
    // A run no longer in the workspace, and one not trained, are left out without a word.
    expect(useCompareStore().chosen).toEqual([runA, runB]);
    expect(useLatentStore().requested).toEqual([runB, runA]);
    expect(host.location.hash).toBe(`#view=compare&dataset=digits&run=${runB}&compare=${runA},${runB}&latent=${runB},${runA}`);

    // Later changes are written back, the token untouched.
    lab.open('runs');
    await runs.select(runA);
    await flush();
    expect(host.urls.at(-1)).toBe(`/?token=abc-123_x#view=runs&dataset=digits&run=${runA}&compare=${runA},${runB}&latent=${runB},${runA}`);
    stop();
  });

  it('ignores an unknown view and a stale dataset, keeping the defaults', async () => {
    const host = hostAt('#view=settings&dataset=deleted-one');
    syncUrlState(host, ['datasets', 'runs']);
    const datasets = useDatasetsStore();
    await datasets.refresh();
    await flush();
    expect(useLabStore().view).toBe('datasets');
    expect(datasets.selectedId).toBe('shapes');
    expect(host.location.hash).toBe('#dataset=shapes');
  });
});
