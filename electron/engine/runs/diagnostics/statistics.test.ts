import { describe, expect, it } from 'vitest';
import { histogram, quantile, unitMeans, unitVariances } from './statistics.js';

describe('diagnostic statistics', () => {
  it('counts values in equal-width bins, the out-of-range ones in the end bins', () => {
    // Bins of 0.25 over [0, 1]; 1 belongs to the last bin, −3 and 7 to the end ones.
    expect(histogram([0, 0.1, 0.25, 0.5, 0.99, 1, -3, 7], 0, 1, 4)).toEqual({ low: 0, high: 1, counts: [3, 1, 1, 3] });
  });

  it('interpolates quantiles between order statistics', () => {
    const sorted = [1, 2, 3, 4, 5];
    expect(quantile(sorted, 0.5)).toBe(3);
    expect(quantile(sorted, 0.25)).toBe(2);
    expect(quantile(sorted, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile(sorted, 1)).toBe(5);
  });

  it("gives each unit's mean and population variance over samples", () => {
    // Three samples of two units: unit 0 sees 1, 3, 5; unit 1 sees 2, 4, 6.
    const codes = [1, 2, 3, 4, 5, 6];
    expect(unitMeans(codes, 2)).toEqual([3, 4]);
    unitVariances(codes, 2).forEach((v) => expect(v).toBeCloseTo(8 / 3, 12));
  });
});
