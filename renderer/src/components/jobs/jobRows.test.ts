import { describe, expect, it } from 'vitest';
import { jobSummary } from '../../testing/analysisFixtures.js';
import { jobControls, jobRows, progressShare, sweepProgress } from './jobRows.js';

describe('job rows', () => {
  it('offers what the lab accepts in each status, whatever the kind', () => {
    expect(jobControls({ kind: 'train', status: 'running' })).toEqual({ pause: true, resume: false, cancel: true, pending: null });
    // An analysis cannot stop half-way; a queued one can be held.
    expect(jobControls({ kind: 'analysis', status: 'running' })).toEqual({ pause: false, resume: false, cancel: true, pending: null });
    expect(jobControls({ kind: 'analysis', status: 'queued' })).toEqual({ pause: true, resume: false, cancel: true, pending: null });
    expect(jobControls({ kind: 'analysis', status: 'failed' })).toEqual({ pause: false, resume: true, cancel: false, pending: null });
    expect(jobControls({ kind: 'sweep', status: 'interrupted' })).toEqual({ pause: false, resume: true, cancel: false, pending: null });
    expect(jobControls({ kind: 'sweep', status: 'cancelled' })).toEqual({ pause: false, resume: false, cancel: false, pending: null });
    expect(jobControls({ kind: 'train', status: 'done' })).toEqual({ pause: false, resume: false, cancel: false, pending: null });
  });

  it('says a control is on its way until it lands: cancel stays offered during a pause or resume, nothing during a cancel', () => {
    expect(jobControls({ kind: 'train', status: 'running', pendingControl: 'pausing' })).toEqual({ pause: false, resume: false, cancel: true, pending: 'Pausing…' });
    expect(jobControls({ kind: 'train', status: 'paused', pendingControl: 'resuming' })).toEqual({ pause: false, resume: false, cancel: true, pending: 'Resuming…' });
    expect(jobControls({ kind: 'sweep', status: 'running', pendingControl: 'pausing' })).toEqual({ pause: false, resume: false, cancel: true, pending: 'Pausing…' });
    expect(jobControls({ kind: 'train', status: 'running', pendingControl: 'cancelling' })).toEqual({ pause: false, resume: false, cancel: false, pending: 'Cancelling…' });
    expect(jobControls({ kind: 'train', status: 'paused', pendingControl: 'cancelling' })).toEqual({ pause: false, resume: false, cancel: false, pending: 'Cancelling…' });
    // Landed: the status's own controls again.
    expect(jobControls({ kind: 'train', status: 'paused', pendingControl: null })).toEqual({ pause: false, resume: true, cancel: true, pending: null });
  });

  it('keeps a member whose sweep is gone at the top level, under its full name', () => {
    const orphan = jobSummary('r1', { parentId: 'gone', title: 'x: latentDim=2' });
    expect(jobRows([orphan])).toEqual([{ job: orphan, depth: 0, title: 'x: latentDim=2' }]);
  });

  it('measures progress as a share, none where there is no total', () => {
    expect(progressShare({ done: 3, total: 4, message: '' })).toBe(0.75);
    expect(progressShare({ done: 0, total: 0, message: '' })).toBeNull();
    expect(progressShare(null)).toBeNull();
  });

  it('measures a sweep by its members: finished ones whole, the training one by its share', () => {
    const sweep = jobSummary('s', { kind: 'sweep', title: 'dense plain sweep of latentDim (3 runs)', status: 'running', runIds: ['a', 'b', 'c'] });
    const member = (id: string, status: 'done' | 'running' | 'queued') => jobSummary(id, { title: `latentDim=${id} · dense plain`, status, parentId: 's' });
    const progress = sweepProgress(sweep, [member('a', 'done'), member('b', 'running'), member('c', 'queued')], () => ({ done: 1, total: 4, message: 'epoch 2 of 4, batch 1 of 8' }));
    expect(progress).toEqual({ done: 1.25, total: 3, message: '1 of 3 runs finished; latentDim=b: epoch 2 of 4, batch 1 of 8' });
  });
});
