import { describe, expect, it } from 'vitest';
import { lecturePresets } from '../../../../shared/catalogue/lecturePresets.js';
import { expandSweep } from '../../../../shared/domain/sweep.js';
import { queueLabel, queuePlan } from './queuePlan.js';
import { applicableSweeps, parseSweepValues, sweepOf, variantProblems, withField } from './sweepFields.js';
import { groupSweep, linkedUpdate } from './sweepGroup.js';
import { newVariant, variantFromPreset, withArchitecture, withObjective } from './variant.js';

const shapes = { id: 'shapes', name: 'Shapes', count: 10000, shape: [32, 32, 1], kind: 'image', scaling: 'unit' } as never;
const bottleneck = lecturePresets.find((p) => p.id === 'lecture-bottleneck-size');

describe('sweeping fields of a variant', () => {
  it('reads a list of values and sweeps a hyperparameter under its group', () => {
    expect(parseSweepValues('2, 4;32  x')).toEqual([2, 4, 32, Number.NaN]);
    const variant = withObjective(newVariant(), 'denoising');
    const spec = sweepOf(variant, 'shapes', { latentDim: [2, 8], 'objectiveParams.level': [0.1, 0.3] });
    expect(spec?.axes).toEqual([{ field: 'latentDim', values: [2, 8] }, { field: 'objectiveParams.level', values: [0.1, 0.3] }]);
    expect(expandSweep(spec ?? { base: {}, axes: [] }).map((m) => (m.config.objectiveParams as { level: number }).level)).toEqual([0.1, 0.3, 0.1, 0.3]);
    expect(sweepOf(variant, 'shapes', {})).toBeNull();
  });

  it('drops a swept hyperparameter the variant no longer has', () => {
    const conv = withArchitecture(newVariant(), 'conv');
    const swept = { latentDim: [2, 4], 'architectureParams.kernelSize': [3, 5] };
    expect(applicableSweeps(conv, swept)).toEqual(swept);
    expect(applicableSweeps(withArchitecture(conv, 'dense'), swept)).toEqual({ latentDim: [2, 4] });
  });

  it('checks every member as the lab will, naming the value', () => {
    const variant = newVariant();
    expect(variantProblems(variant, { latentDim: [8] }, shapes)).toEqual(['Sweep of Latent size d: list at least two values, separated by commas']);
    expect(variantProblems(variant, { latentDim: [8, 8] }, shapes)).toEqual(['Sweep of Latent size d: a value is listed twice']);
    expect(variantProblems(variant, { latentDim: [8, 0] }, shapes)).toEqual(['Sweep value latentDim=0: Latent size d must be at least 1; 0 was given']);
    // The swept field's own (hidden) value is not checked: each member's is.
    expect(variantProblems({ ...variant, latentDim: 0 }, { latentDim: [2, 4] }, shapes)).toEqual([]);
    expect(variantProblems(variant, { latentDim: Array.from({ length: 9 }, (_, i) => i + 1), learningRate: Array.from({ length: 8 }, (_, i) => (i + 1) / 1000) }, shapes)).toEqual([
      'The sweep has 72 combinations; at most 64 runs are queued as one sweep',
    ]);
  });
});

describe('a configuration that is one sweep', () => {
  it('is the lecture’s bottleneck experiment: three conv variants, one sweep of latentDim that opens its results', () => {
    expect(bottleneck?.sweep).toEqual([{ field: 'latentDim', values: [2, 4, 32] }]);
    expect(bottleneck?.opens).toBe('sweep');
    expect(bottleneck?.variants.map((v) => [v.architecture, v.latentDim])).toEqual([['conv', 2], ['conv', 4], ['conv', 32]]);
    expect(lecturePresets.find((p) => p.id === 'lecture-linear-pca')?.opens).toBe('principalAngles');
    expect(lecturePresets.find((p) => p.id === 'lecture-undercomplete-overcomplete')?.opens).toBe('diagnostics');
  });

  it('links its members: an edit applies to all but their swept value, and they queue as one sweep', () => {
    const members = (bottleneck?.variants ?? []).map(variantFromPreset);
    const group = { keys: members.map((m) => m.key), fields: ['latentDim'] };
    const edited = linkedUpdate(members, group, { ...members[1]!, epochs: 1 });
    expect(edited.map((m) => [m.epochs, m.latentDim, m.name])).toEqual([[1, 2, 'conv d=2'], [1, 4, 'conv d=4'], [1, 32, 'conv d=32']]);
    const plan = queuePlan(edited, {}, group, 'shapes');
    expect(plan.runs).toEqual([]);
    expect(plan.sweeps).toHaveLength(1);
    expect(plan.sweeps[0]?.spec.axes).toEqual([{ field: 'latentDim', values: [2, 4, 32] }]);
    expect(plan.sweeps[0]?.spec.base).toMatchObject({ datasetId: 'shapes', architecture: 'conv', epochs: 1 });
    expect(queueLabel(plan)).toBe('Queue a sweep of 3 runs');
  });

  it('queues its members as separate runs once they no longer make one sweep, and says why', () => {
    const members = (bottleneck?.variants ?? []).map(variantFromPreset);
    const group = { keys: members.map((m) => m.key), fields: ['latentDim'] };
    const broken = [members[0]!, withField(members[1]!, 'latentDim', 2), members[2]!];
    expect('problem' in groupSweep(broken, group.fields, 'shapes')).toBe(true);
    const plan = queuePlan(broken, {}, group, 'shapes');
    expect(plan.groupProblem).toBe('the axes make 2 combinations but there are 3 variants');
    expect(plan.runs.map((r) => r.label)).toEqual(['Variant 1', 'Variant 2', 'Variant 3']);
    expect(queueLabel(plan)).toBe('Queue 3 runs');
  });

  it('queues a variant with swept fields as a sweep beside plain runs', () => {
    const [a, b] = [newVariant(), newVariant()];
    const plan = queuePlan([a, b], { [b.key]: { latentDim: [2, 8, 32] } }, null, 'shapes');
    expect(plan.sweeps.map((s) => s.label)).toEqual(['Variant 2 (sweep)']);
    expect(queueLabel(plan)).toBe('Queue a sweep of 3 runs and 1 run');
  });
});
