import type { RunSummary } from '../../shared/domain/run.js';
import { LabError } from '../../shared/result.js';
import type { Lab } from '../lab/lab.js';
import type { OpenedWorkspace } from '../lab/owner/openWorkspace.js';
import { safeName } from './output.js';
import { waitForRuns, type LabClient } from './train.js';

export type RunCommand = 'resume' | 'cancel' | 'delete';

const runIdPattern = /^[0-9]{14}-[0-9a-f]{6}$/;

/** The run named on the command line, which must exist (an unknown id is refused with where to look). */
async function namedRun(client: LabClient, command: RunCommand, positionals: string[]): Promise<RunSummary> {
  const id = positionals[0];
  if (!id) throw new LabError('invalid-request', `${command} needs a RUN id (see aelab runs)`);
  if (positionals.length > 1) throw new LabError('invalid-request', `${command} takes one RUN id, not ${positionals.length}`);
  if (!runIdPattern.test(id)) throw new LabError('not-found', `No run with id '${safeName(id)}' in this workspace (run ids look like 20250101120000-a1b2c3; see aelab runs)`);
  return (await client.call('runs.get', { id })).run;
}

const statusLine = (run: RunSummary): string => `run ${run.id} (${safeName(run.name)}): ${run.status}${run.error ? ` — ${safeName(run.error)}` : ''}`;

/**
 * `aelab resume|cancel|delete RUN`. Where another process owns the workspace (the browser
 * host training), the request goes to it and the command returns once it has answered; where
 * this process owns it, a resumed run trains here to its end, as `aelab train` does.
 */
export async function runCommand(command: RunCommand, opened: OpenedWorkspace, positionals: string[], json: boolean): Promise<{ text: string; value: unknown; run: RunSummary | null }> {
  const client: LabClient = opened.owner ?? opened.lab;
  // Owning the workspace now, this process first finds runs a stopped lab left active interrupted (listing recovers them).
  if (!opened.owner && opened.access.mode === 'owner') await opened.lab.call('runs.list', {});
  const run = await namedRun(client, command, positionals);
  const via = opened.owner ? ` (by process ${opened.owner.pid}, which owns the workspace)` : '';
  if (command === 'delete') {
    await client.call('runs.delete', { id: run.id });
    return { text: `Deleted run ${run.id} (${safeName(run.name)})${via}`, value: { id: run.id, deleted: true }, run: null };
  }
  if (command === 'cancel') {
    const cancelled = await client.call('runs.cancel', { id: run.id });
    return { text: `${statusLine(cancelled)}${via}`, value: cancelled, run: cancelled };
  }
  const resumed = await client.call('runs.resume', { id: run.id });
  if (opened.owner) return { text: `${statusLine(resumed)}${via}`, value: resumed, run: resumed };
  // This process owns the workspace: its engine lives as long as the command does.
  const [final] = await waitForRuns(opened.lab as Lab, [run.id], json);
  const settled = final ?? resumed;
  return { text: statusLine(settled), value: settled, run: settled };
}
