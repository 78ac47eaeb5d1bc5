import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { WorkspaceAccess } from '../../../shared/domain/lab.js';
import type { LabErrorData } from '../../../shared/result.js';

export const ownerAccess: WorkspaceAccess = { mode: 'owner', reason: null, ownerPid: null };

/**
 * The requests that only read the workspace: a read-only lab answers these and refuses every
 * other (a request added to the contract is refused there until it is listed here as a read).
 */
const readingChannels: ReadonlySet<RequestChannel> = new Set<RequestChannel>([
  'lab.info',
  'datasets.list',
  'datasets.preview',
  'runs.list',
  'runs.get',
  'runs.decode',
  'runs.encode',
  'runs.reconstruct',
  'runs.sample',
  'runs.codes',
  'runs.exportOnnx',
  'presets.list',
  'jobs.list',
  'analyses.result',
  'analyses.classifier',
  'analyses.pca',
  'sweeps.results',
  'workspace.check',
]);

/** Why a request is refused by a read-only lab, or null where it may go ahead. */
export function refusalOf(access: WorkspaceAccess, channel: RequestChannel): LabErrorData | null {
  if (access.mode === 'owner' || readingChannels.has(channel)) return null;
  return { code: 'read-only', message: `${channel}: the workspace is open read-only because ${access.reason ?? 'it cannot be written'}` };
}
