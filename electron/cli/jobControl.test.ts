import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../shared/domain/job.js';
import { LabError } from '../../shared/result.js';
import { resumedJobFailure } from './jobControl.js';

const job = (status: JobSummary['status'], error: JobSummary['error'] = null): JobSummary => ({
  id: '20260101000000-abcdef', kind: 'sweep', title: 'latent size sweep (3 runs)', status, progress: null, error,
  createdAt: '', startedAt: null, finishedAt: null, runIds: [], parentId: null, analysis: null,
});

describe('aelab jobs resume outcome', () => {
  it('is no error for a job that finished or was paused again', () => {
    for (const status of ['done', 'paused', 'running', 'queued'] as const) expect(resumedJobFailure(job(status))).toBeNull();
  });

  it('is the job’s own error, naming the job and how it ended, for one that failed, was interrupted or cancelled', () => {
    const failed = resumedJobFailure(job('failed', { code: 'io-error', message: 'the engine stopped' }));
    expect(failed).toBeInstanceOf(LabError);
    expect(failed?.code).toBe('io-error');
    expect(failed?.message).toBe('sweep job 20260101000000-abcdef (latent size sweep (3 runs)) ended failed: the engine stopped');
    expect(resumedJobFailure(job('interrupted'))).toMatchObject({ code: 'internal', message: 'sweep job 20260101000000-abcdef (latent size sweep (3 runs)) ended interrupted' });
    expect(resumedJobFailure(job('cancelled'))).toMatchObject({ code: 'cancelled', message: 'sweep job 20260101000000-abcdef (latent size sweep (3 runs)) ended cancelled' });
  });
});
