import { describe, expect, it } from 'vitest';
import { describePoint, expandSweep } from './sweep.js';

describe('sweep expansion', () => {
  it('makes every combination, first axis slowest, into the right configuration fields', () => {
    const members = expandSweep({
      base: { datasetId: 'shapes', architecture: 'dense', objective: 'denoising', objectiveParams: { corruption: 'masking' } },
      axes: [
        { field: 'latentDim', values: [2, 8] },
        { field: 'objectiveParams.level', values: [0.1, 0.3] },
      ],
    });
    expect(members.map((m) => describePoint(m.point))).toEqual(['latentDim=2, objectiveParams.level=0.1', 'latentDim=2, objectiveParams.level=0.3', 'latentDim=8, objectiveParams.level=0.1', 'latentDim=8, objectiveParams.level=0.3']);
    expect(members[1]?.config).toEqual({ datasetId: 'shapes', architecture: 'dense', objective: 'denoising', latentDim: 2, objectiveParams: { corruption: 'masking', level: 0.3 } });
  });

  it('sweeps a list hyperparameter as whole lists', () => {
    const members = expandSweep({ base: { datasetId: 'x' }, axes: [{ field: 'architectureParams.hiddenWidths', values: [[256, 64], [512]] }] });
    expect(members.map((m) => m.config.architectureParams)).toEqual([{ hiddenWidths: [256, 64] }, { hiddenWidths: [512] }]);
    expect(describePoint(members[0]?.point ?? {})).toBe('architectureParams.hiddenWidths=256,64');
  });
});
