import type { JobSummary } from '../../shared/domain/job.js';
import { LabError } from '../../shared/result.js';
import type { OpenedWorkspace } from '../lab/owner/openWorkspace.js';
import { jobsText } from './jobsCommands.js';
import { safeName } from './output.js';
import { showProgress } from './train.js';

export type JobAction = 'pause' | 'resume' | 'cancel';

/**
 * How a resumed job ended, as the command's outcome: nothing for one that finished (or was
 * paused again, to be resumed later), the job's own error for one that failed, was
 * interrupted or cancelled, so that `aelab jobs resume` exits 1 as `aelab sweep` does.
 */
export function resumedJobFailure(job: JobSummary): LabError | null {
  if (job.status !== 'failed' && job.status !== 'interrupted' && job.status !== 'cancelled') return null;
  const code = job.error?.code ?? (job.status === 'cancelled' ? 'cancelled' : 'internal');
  return new LabError(code, `${job.kind} job ${job.id} (${safeName(job.title)}) ended ${job.status}${job.error ? `: ${safeName(job.error.message)}` : ''}`);
}

/**
 * `aelab jobs pause|resume|cancel JOB`: any job, a sweep as one. Where another process owns the
 * workspace (an `aelab anomaly` or `aelab sweep` training, the browser host), it goes to that
 * process; where this one owns it, a resumed job runs here until it stops, as `aelab resume` does.
 */
export async function jobControlCommand(opened: OpenedWorkspace, action: JobAction, positionals: string[], json: boolean): Promise<{ text: string; value: JobSummary; failure: LabError | null }> {
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new LabError('invalid-request', `jobs ${action} takes one JOB id (see aelab jobs)`);
  const client = opened.owner ?? opened.lab;
  // Owning the workspace now, this process first finds jobs a stopped lab left active interrupted (listing recovers them).
  if (!opened.owner && opened.access.mode === 'owner') await opened.lab.call('jobs.list', {});
  const job = action === 'pause' ? await client.call('jobs.pause', { id }) : action === 'resume' ? await client.call('jobs.resume', { id }) : await client.call('jobs.cancel', { id });
  const via = opened.owner ? `\n(by process ${opened.owner.pid}, which owns the workspace)` : '';
  if (opened.owner || action !== 'resume') return { text: `${jobsText([job])}${via}`, value: job, failure: null };
  const { lab } = opened;
  const unsubscribe = showProgress(lab, json);
  try {
    const final = job.kind === 'sweep' ? await lab.sweeps.wait(id) : job.kind === 'analysis' ? await lab.analyses.wait(id) : (await lab.runs.idle(), await lab.jobs.get(id));
    const failure = resumedJobFailure(final);
    // A failure's message comes as the command's error; said here as well it would be said twice.
    return { text: `${jobsText([final])}${final.error && !failure ? `\n${safeName(final.error.message)}` : ''}`, value: final, failure };
  } finally {
    unsubscribe();
  }
}
