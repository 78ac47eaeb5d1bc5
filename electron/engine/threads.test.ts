import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { intraOpThreadsFor, largestActivation } from './threads.js';

const conv = (downsample: 'stride' | 'pool') => ({ architecture: 'conv' as const, architectureParams: { channels: [16, 32], downsample }, latentDim: 16 });

describe('intra-op threads', () => {
  it('measures the largest activation of each architecture', () => {
    expect(largestActivation({ architecture: 'dense', architectureParams: { hiddenWidths: [256] }, latentDim: 32 }, [28, 28, 1])).toBe(784);
    expect(largestActivation({ architecture: 'dense', architectureParams: { hiddenWidths: [2048] }, latentDim: 32 }, [28, 28, 1])).toBe(2048);
    expect(largestActivation(conv('stride'), [28, 28, 1])).toBe(14 * 14 * 16);
    expect(largestActivation(conv('pool'), [28, 28, 1])).toBe(28 * 28 * 16);
    expect(largestActivation({ architecture: 'linear', architectureParams: {}, latentDim: 2 }, [32, 32, 3])).toBe(3072);
  });

  it('keeps small steps on one thread and gives large ones every core', () => {
    expect(intraOpThreadsFor(128, 784)).toBe(1);
    expect(intraOpThreadsFor(128, 14 * 14 * 16)).toBe(1);
    expect(intraOpThreadsFor(512, 14 * 14 * 16)).toBe(Math.max(1, availableParallelism()));
  });
});
