import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import { jobSummary } from '../testing/analysisFixtures.js';
import { FakeLab, ok } from '../testing/fakeLab.js';
import { withContractChecks } from './contractChecks.js';

/** Answers analyses.result with whatever result it is given, for a principal-angles job. */
class ResultLab extends FakeLab {
  result: unknown = null;
  protected answer(channel: RequestChannel) {
    if (channel === 'analyses.result') return ok({ job: jobSummary('a1', { kind: 'analysis', analysis: 'principalAngles', status: 'done' }), result: this.result });
    if (channel === 'jobs.list') return ok([{ id: 'x' }]);
    return undefined;
  }
}

describe('contract checks', () => {
  it('reads an analysis result through its own analysis’s schema', async () => {
    const lab = new ResultLab();
    const api = withContractChecks(lab);
    lab.result = { runId: 'r1', anglesDegrees: 'not a list' };
    const reply = await api.request('analyses.result', { id: 'a1' });
    expect(reply.ok ? '' : reply.error.message).toMatch(/^The lab's reply to analyses.result did not match the contract \(Principal angles result: /);
    lab.result = { runId: 'r1', datasetId: 'd', latentDim: 2, anglesDegrees: [1, 2], encoderAnglesDegrees: [1, 2], runTestMse: null, pcaTestMse: 0.1, errorGap: null, checkpoint: 'last' };
    expect((await api.request('analyses.result', { id: 'a1' })).ok).toBe(true);
    expect((await api.request('jobs.list', {})).ok).toBe(false);
  });

  it('drops a job event that does not match the contract', () => {
    const lab = new ResultLab();
    const seen: string[] = [];
    withContractChecks(lab).on('jobs.changed', ({ job }) => seen.push(job.id));
    lab.jobChanged({ id: 'bad' } as never);
    lab.jobChanged(jobSummary('good'));
    lab.emit('jobs.progress', { jobId: 'good', progress: { done: 'half' } });
    expect(seen).toEqual(['good']);
  });
});
