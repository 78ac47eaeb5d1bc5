import { describe, expect, it } from 'vitest';
import { probeProtocolSchema, probeSpecWithProtocol } from './probeProtocol.js';
import { probeSpecSchema } from './probeSpec.js';

const runs = ['20260101120000-0000a1', '20260101120000-0000a2'];

describe('a configuration’s probe protocol', () => {
  it('sets its own fields over the spec’s defaults and leaves the others at them', () => {
    const spec = probeSpecWithProtocol(runs, { labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'] });
    const defaults = probeSpecSchema.parse({ runIds: runs });
    expect(spec).toEqual({ ...defaults, labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'] });
    expect(spec.knn).toBe(true);
    expect(spec.maxSteps).toBe(defaults.maxSteps);
  });

  it('is the defaults where there is none, or it sets nothing', () => {
    expect(probeSpecWithProtocol(runs, null)).toEqual(probeSpecSchema.parse({ runIds: runs }));
    expect(probeSpecWithProtocol(runs, {})).toEqual(probeSpecSchema.parse({ runIds: runs }));
  });

  it('fills in no default itself, and refuses what the spec refuses or does not know', () => {
    expect(probeProtocolSchema.parse({ draws: 3 })).toEqual({ draws: 3 });
    expect(probeProtocolSchema.safeParse({ draws: 0 }).success).toBe(false);
    expect(probeProtocolSchema.safeParse({ modes: ['frozen', 'thawed'] }).success).toBe(false);
    expect(probeProtocolSchema.safeParse({ runIds: runs }).success).toBe(false);
  });
});
