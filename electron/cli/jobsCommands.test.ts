import { describe, expect, it } from 'vitest';
import { parseCli } from './args.js';
import { jobsText, sweepSpecFromArgs } from './jobsCommands.js';

const specOf = (argv: string[]) => sweepSpecFromArgs(parseCli(['sweep', ...argv]).values);

describe('aelab sweep arguments', () => {
  it('makes an axis of every comma list, and the base of the first values', () => {
    const spec = specOf(['--dataset', 'shapes', '--arch', 'dense,conv', '--latent', '2,4,32', '--epochs', '3']);
    expect(spec.axes).toEqual([
      { field: 'architecture', values: ['dense', 'conv'] },
      { field: 'latentDim', values: [2, 4, 32] },
    ]);
    expect(spec.base).toMatchObject({ datasetId: 'shapes', architecture: 'dense', latentDim: 2, epochs: 3 });
  });

  it('sweeps a hyperparameter of the objective, and a list hyperparameter with ; between its values', () => {
    const spec = specOf(['--dataset', 'shapes', '--objective', 'denoising', '--param', 'level=0.1,0.3', '--param', 'hiddenWidths=256,64;512', '--param', 'corruption=masking']);
    expect(spec.axes).toEqual([
      { field: 'objectiveParams.level', values: [0.1, 0.3] },
      { field: 'architectureParams.hiddenWidths', values: [[256, 64], [512]] },
    ]);
    expect(spec.base).toMatchObject({ objectiveParams: { level: 0.1, corruption: 'masking' }, architectureParams: { hiddenWidths: [256, 64] } });
  });

  it('refuses a sweep without a list', () => {
    expect(() => specOf(['--dataset', 'shapes', '--latent', '8'])).toThrow('a sweep needs at least one list of values, e.g. --latent 2,4,8 or --param level=0.1,0.3');
  });
});

describe('aelab jobs', () => {
  it('shows a control on its way in place of the status it will change', () => {
    const job = { id: '20260101000000-abcdef', kind: 'train' as const, title: 'dense plain d=8', status: 'running' as const, progress: { done: 1, total: 4, message: '' }, error: null, createdAt: '', startedAt: null, finishedAt: null, runIds: [], parentId: null, analysis: null };
    expect(jobsText([{ ...job, pendingControl: 'pausing' }]).split('\n')[1]).toMatch(/ train {4}pausing… +1\/4 {2}dense plain d=8$/);
    expect(jobsText([{ ...job, pendingControl: null }]).split('\n')[1]).toMatch(/ train {4}running +1\/4/);
  });
});
