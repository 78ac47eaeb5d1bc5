import { describe, expect, it } from 'vitest';
import { latentAt, positionsAt, scatterOf } from './explorer.js';
import { codeStatistics, principalDirections } from './geometry.js';

/** Correlated 4-D codes: most variance along (1, 1, 0, 0), some along (0, 0, 1, -1). */
function correlatedCodes(count: number): Float32Array<ArrayBuffer> {
  const codes = new Float32Array(count * 4);
  for (let i = 0; i < count; i += 1) {
    const a = Math.sin(i * 12.9898) * 3;
    const b = Math.cos(i * 78.233);
    codes.set([a + 1, a + 1, b, -b], i * 4);
  }
  return codes;
}

describe('slider positions of a code', () => {
  const count = 500;
  const codes = correlatedCodes(count);
  const stats = codeStatistics(codes, count, 4);
  const directions = principalDirections(codes, count, 4, 2);
  const explorer = { latentSize: 4, stats, directions };

  it('moves the unit sliders to a code inside their range, and back', () => {
    const code = codes.slice(40, 44);
    const { positions, clamped } = positionsAt(explorer, code, 'units');
    expect(clamped).toBe(0);
    const back = latentAt(explorer, positions, 'units');
    [...code].forEach((v, k) => expect(back[k]).toBeCloseTo(v, 4));
  });

  it('clamps a code beyond the 1–99 % range and says how many sliders were', () => {
    const { positions, clamped } = positionsAt(explorer, [100, 0, 0, 0], 'units');
    expect(positions[0]).toBe(1);
    expect(clamped).toBe(1);
  });

  it('moves the direction sliders to the code’s offset along each principal direction', () => {
    const code = codes.slice(80, 84);
    const { positions } = positionsAt(explorer, code, 'directions');
    expect(positions).toHaveLength(2);
    // Both directions hold all the variance here, so the sliders reproduce the code itself.
    const back = latentAt(explorer, positions, 'directions');
    [...code].forEach((v, k) => expect(back[k]).toBeCloseTo(v, 2));
  });

  it('puts a slider code on the PCA scatter where the test code it came from is', () => {
    const scatter = scatterOf({ codes: { codes, shape: [count, 4], indices: new Int32Array(count), labels: new Int32Array(count), classNames: [] }, directions });
    expect(scatter?.axes[0]).toMatch(/^PC 1 \(\d+\.\d % of variance\)$/);
    const i = 17;
    const back = latentAt(explorer, positionsAt(explorer, codes.slice(i * 4, i * 4 + 4), 'directions').positions, 'directions');
    const [x, y] = scatter?.project(back) ?? [NaN, NaN];
    expect(x).toBeCloseTo(scatter?.points[2 * i] ?? NaN, 2);
    expect(y).toBeCloseTo(scatter?.points[2 * i + 1] ?? NaN, 2);
  });
});
