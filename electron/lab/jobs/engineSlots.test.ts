import { describe, expect, it } from 'vitest';
import { EngineSlots } from './engineSlots.js';

describe('engine slots', () => {
  it('starts work in order, at most `concurrency` at once, whatever its kind', () => {
    const slots = new EngineSlots(2);
    const started: string[] = [];
    for (const id of ['run-a', 'pca-b', 'run-c']) slots.enqueue(id, () => started.push(id));
    expect(started).toEqual(['run-a', 'pca-b']);
    slots.release('run-a');
    expect(started).toEqual(['run-a', 'pca-b', 'run-c']);
  });

  it('lets queued work be taken out, and never queues the same work twice', () => {
    const slots = new EngineSlots(1);
    const started: string[] = [];
    slots.enqueue('a', () => started.push('a'));
    slots.enqueue('b', () => started.push('b'));
    slots.enqueue('b', () => started.push('b again'));
    expect(slots.remove('b')).toBe(true);
    expect(slots.remove('a')).toBe(false);
    slots.release('a');
    expect(started).toEqual(['a']);
    expect(slots.busy).toBe(false);
  });
});
