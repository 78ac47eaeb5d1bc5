import { describe, expect, it } from 'vitest';
import { probeSpecWithProtocol, type ProbeProtocol } from '../../../../shared/analyses/probe/probeProtocol.js';
import { probeSpecSchema } from '../../../../shared/analyses/probe/probeSpec.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import { runSummary } from '../../testing/analysisFixtures.js';
import { defaultProbeForm, formProblems, parseLabels, parseNumber, probeSpecOf, protocolForm, runProblems } from './probeForm.js';

const runId = '20260101120000-0000a1';
const dataset = (id: string, rest: Partial<DatasetSummary> = {}): DatasetSummary => ({
  id, name: id, format: 'images', source: '/x', builtin: false, shape: [32, 32, 1], kind: 'image', dtype: 'uint8', scaling: 'unit',
  count: 10, splits: { train: 8, validation: 1, test: 1 }, classNames: ['circle', 'square'], classCounts: [5, 5], unlabeled: 0, factorNames: [], bytesOnDisk: 1, contentHash: id, createdAt: '2026-01-01', ...rest,
});

describe('the probe form', () => {
  it('starts at the spec’s defaults and asks for exactly them', () => {
    const form = defaultProbeForm();
    expect(form.labels).toBe('1, 5, 10, 50, 100, 1000, all');
    expect(form.numbers.draws).toBe('5');
    expect(probeSpecOf(form, [runId])).toEqual(probeSpecSchema.parse({ runIds: [runId] }));
  });

  it('shows a configuration’s protocol over the defaults, and asks for the spec the hand-off queues', () => {
    const protocol = { labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'] } satisfies ProbeProtocol;
    const form = protocolForm(protocol);
    expect([form.labels, form.numbers.draws, form.modes, form.baselines, form.knn]).toEqual(['1, 5, 10, 50, 100', '3', ['frozen', 'finetune'], ['pixels', 'pca'], true]);
    expect(probeSpecOf(form, [runId])).toEqual(probeSpecWithProtocol([runId], protocol));
    expect(protocolForm(null)).toEqual(defaultProbeForm());
    expect(protocolForm({ draws: 2 })).toEqual({ ...defaultProbeForm(), numbers: { ...defaultProbeForm().numbers, draws: '2' } });
  });

  it('reads labels per class in any order, sorted, and refuses a repeat or a non-count with the CLI’s words', () => {
    expect(parseLabels('all, 10,5, 1')).toEqual({ values: [1, 5, 10, 'all'] });
    expect(parseLabels('1, 0, 5')).toEqual({ error: "Labels per class: '0' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabels('2.5')).toEqual({ error: "Labels per class: '2.5' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabels('many')).toEqual({ error: "Labels per class: 'many' is not a count of labels per class (a whole number ≥ 1, or all)" });
    // A repeat was once dropped silently; the user may have meant another count.
    expect(parseLabels('1, 5, 5')).toEqual({ error: 'Labels per class: 5 is given twice' });
    expect(parseLabels('2000000')).toEqual({ error: "Labels per class: '2000000' is more than the lab's limit of 1,000,000 labels per class" });
    expect(parseLabels(' ')).toEqual({ error: "Labels per class: list at least one count, such as '1, 5, 10, all'" });
    expect(parseLabels(Array.from({ length: 21 }, (_, i) => i + 1).join(','))).toEqual({ error: 'Labels per class: at most 20 counts can be probed at once; 21 were given' });
  });

  it('names the field and what is wrong with a number, from the spec’s own limits', () => {
    expect(parseNumber('draws', '2.5')).toEqual({ error: 'Draws must be a whole number; 2.5 was given' });
    expect(parseNumber('draws', '51')).toEqual({ error: 'Draws must be at most 50; 51 was given' });
    expect(parseNumber('learningRate', 'fast')).toEqual({ error: "Learning rate: 'fast' is not a number" });
    expect(parseNumber('encoderLearningRateFactor', '0')).toEqual({ error: 'Encoder learning-rate factor must be more than 0; 0 was given' });
    expect(parseNumber('seed', '')).toEqual({ error: 'Seed: enter a number' });
    expect(parseNumber('batchSize', ' 32 ')).toEqual({ value: 32 });
  });

  it('holds the spec back while a field is wrong, and checks hidden units only for the MLP head', () => {
    const form = defaultProbeForm();
    form.numbers.hiddenUnits = '0';
    expect(formProblems(form)).toEqual({});
    form.head = 'mlp';
    expect(formProblems(form)).toEqual({ hiddenUnits: 'Hidden units must be at least 1; 0 was given' });
    expect(probeSpecOf(form, [runId])).toBeNull();
    form.numbers.hiddenUnits = '32';
    form.labels = '1, 5';
    form.modes = ['frozen'];
    form.baselines = ['pixels', 'pca'];
    form.knn = false;
    form.numbers.draws = '2';
    expect(probeSpecOf(form, [runId])).toMatchObject({ labelsPerClass: [1, 5], draws: 2, head: 'mlp', hiddenUnits: 32, modes: ['frozen'], baselines: ['pixels', 'pca'], knn: false });
    form.modes = [];
    form.baselines = [];
    expect(formProblems(form).lines).toMatch(/^Choose at least one mode, baseline or the kNN probe/);
  });

  it('refuses runs of different datasets, and datasets without two labelled classes or a test split', () => {
    const shapes = dataset('shapes');
    const fashion = dataset('fashion');
    const a = runSummary('20260101120000-00000a', {}, { name: 'a' });
    const b = runSummary('20260101120000-00000b', { datasetId: 'fashion' }, { name: 'b' });
    expect(runProblems([], [shapes], 16)).toEqual(['Choose at least one trained run']);
    expect(runProblems([a], [shapes], 16)).toEqual([]);
    expect(runProblems([a, b], [shapes, fashion], 16)[0]).toMatch(/^The chosen runs were trained on different datasets \(shapes, fashion\)/);
    expect(runProblems([a], [dataset('shapes', { classNames: [], classCounts: [] })], 16)[0]).toMatch(/fewer than two classes/);
    expect(runProblems([a], [dataset('shapes', { splits: { train: 9, validation: 1, test: 0 } })], 16)).toEqual(['shapes has no test split: there is nothing held out to measure accuracy on']);
    expect(runProblems([a], [], 16)[0]).toMatch(/not in this workspace/);
  });
});
