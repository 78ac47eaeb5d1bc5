import { describe, expect, it } from 'vitest';
import { defaultUmapSettings, epochsFor, type UmapProgress } from './umapSettings.js';
import { startUmap } from './umapOffThread.js';

/** Three tight clusters of 6-D codes, 20 each. */
function clusteredCodes(): Float32Array {
  const codes = new Float32Array(60 * 6);
  for (let i = 0; i < 60; i += 1) for (let j = 0; j < 6; j += 1) codes[i * 6 + j] = (i % 3) * 10 * (j === i % 3 ? 1 : 0) + 0.1 * Math.sin(i * 7.3 + j);
  return codes;
}

const settings = { ...defaultUmapSettings, epochs: 60 };

describe('UMAP off the main thread', () => {
  it('lays out every code in 2-D, reporting progress to the last epoch', async () => {
    const progress: UmapProgress[] = [];
    const job = startUmap(clusteredCodes(), 60, 6, settings, (p) => progress.push(p));
    const points = await job.layout;
    expect(points).toHaveLength(120);
    expect([...points].every(Number.isFinite)).toBe(true);
    expect(progress[0]?.phase).toBe('neighbours');
    expect(progress.at(-1)).toEqual({ phase: 'layout', done: 60, total: 60 });
    job.dispose();
  });

  it('gives the same layout for the same seed and another for another seed', async () => {
    const codes = clusteredCodes();
    const layoutOf = async (seed: number) => {
      const job = startUmap(codes, 60, 6, { ...settings, seed }, () => undefined);
      const points = await job.layout;
      job.dispose();
      return [...points];
    };
    const first = await layoutOf(3);
    expect(await layoutOf(3)).toEqual(first);
    expect(await layoutOf(4)).not.toEqual(first);
  });

  it('places a code among its cluster, the same way each time', async () => {
    const codes = clusteredCodes();
    const job = startUmap(codes, 60, 6, settings, () => undefined);
    const points = await job.layout;
    const code = codes.slice(4 * 6, 5 * 6);
    const placed = await job.place(code);
    expect(await job.place(code)).toEqual(placed);
    expect(placed.nearest).toBe(false);
    // Nearer its own cluster's centre (codes 1, 4, 7, …) than another's (0, 3, 6, …).
    const centre = (first: number) => {
      const members = Array.from({ length: 20 }, (_, k) => first + 3 * k);
      return [0, 1].map((axis) => members.reduce((s, m) => s + (points[2 * m + axis] ?? 0), 0) / 20);
    };
    const distance = (c: number[]) => Math.hypot(placed.x - (c[0] ?? 0), placed.y - (c[1] ?? 0));
    expect(distance(centre(1))).toBeLessThan(distance(centre(0)));
    expect(distance(centre(1))).toBeLessThan(distance(centre(2)));
    job.dispose();
  });

  it('rejects the layout of a job stopped before it finished', async () => {
    const job = startUmap(clusteredCodes(), 60, 6, settings, () => undefined);
    job.dispose();
    await expect(job.layout).rejects.toThrow('stopped');
  });

  it('says why too few codes cannot be laid out', async () => {
    const job = startUmap(clusteredCodes(), 10, 6, settings, () => undefined);
    await expect(job.layout).rejects.toThrow(/Not enough data points/);
  });
});

describe('UMAP epochs', () => {
  it('are a multiple of 3, so that placing a code into the layout ends', () => {
    expect(epochsFor(100, { epochs: 0 })).toBe(501);
    expect(epochsFor(5000, { epochs: 0 })).toBe(201);
    expect(epochsFor(5000, { epochs: 60 })).toBe(60);
  });
});
