import { describe, expect, it } from 'vitest';
import { errorColor, errorMapPixels, pairBytes, squaredErrorMap } from './errorMap.js';
import { fixtureResult } from './anomalyFixture.js';
import { scoreCurve } from './scoreCurve.js';
import { histogramSteps, scoreHistogram, wantsLogScale } from './scoreHistogram.js';

describe('the score histogram', () => {
  it('gives each class’s share per bin over the score range', () => {
    const result = fixtureResult();
    const made = scoreCurve(result, result.runs[0]!, 'mse');
    if ('problem' in made) throw new Error(made.problem);
    const h = scoreHistogram(made.curve, 10, false);
    expect(h.edges[0]).toBe(0.01);
    expect(h.edges[10]).toBeCloseTo(0.11, 12);
    expect(h.normal.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(h.anomalous.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // The lowest score (a circle) in the first bin, the highest (a triangle) in the last.
    expect(h.normal[0]).toBeGreaterThan(0);
    expect(h.anomalous[9]).toBeGreaterThan(0);
    expect(histogramSteps(h.edges, h.normal)).toHaveLength(11);
    expect(wantsLogScale(made.curve)).toBe(false);
  });
});

describe('the error map', () => {
  it('is the squared error per pixel, averaged over channels, coloured on one scale', () => {
    const originals = Float32Array.of(0, 0, 1, 1, /* second sample */ 0.5, 0.5, 0.5, 0.5);
    const reconstructions = Float32Array.of(0, 0, 0.5, 1, 0.5, 0.5, 0, 0.5);
    // Two samples of two pixels with two channels each.
    expect([...squaredErrorMap(originals, reconstructions, 0, 2, 2)]).toEqual([0, 0.125]);
    expect([...squaredErrorMap(originals, reconstructions, 1, 2, 2)]).toEqual([0, 0.125]);
    const rgba = errorMapPixels(Float32Array.of(0, 0.25, 0.5), 0.5);
    expect([...rgba.slice(0, 4)]).toEqual([...errorColor(0), 255]);
    expect([...rgba.slice(8, 12)]).toEqual([...errorColor(1), 255]);
    expect(errorColor(2)).toEqual(errorColor(1));
  });

  it('draws an original and its reconstruction on one scale', () => {
    const [a, b] = pairBytes(Float32Array.of(0, 1), Float32Array.of(0.5, 1));
    expect([...a, ...b]).toEqual([0, 255, 128, 255]);
    const [c] = pairBytes(Float32Array.of(-1, 1), Float32Array.of(0, 0));
    expect([...c]).toEqual([0, 255]);
  });
});
