import type { RequestChannel } from '../../shared/contract/channels.js';
import type { ReplyOf, RequestOf } from '../../shared/contract/labApi.js';
import type { DamagedItem, Leftover, RepairReport, WorkspaceCheck } from '../../shared/domain/workspaceHealth.js';
import { safeName } from './output.js';

/** What answers the check: this process's lab, or the owner of the workspace where another process owns it. */
export interface CheckTarget {
  call<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ReplyOf<C>>;
}

export interface CheckOutcome {
  text: string;
  value: { check: WorkspaceCheck; repair: RepairReport | null };
  /** Damaged items still in the workspace after the command (a script's exit status follows them). */
  remaining: number;
}

/**
 * `aelab check [--repair]`: every damaged item and leftover of the workspace, each dataset's
 * bytes checked against its stored hash; `--repair` moves the damaged items to the workspace's
 * quarantine folder and deletes nothing.
 */
export async function checkCommand(target: CheckTarget, repair: boolean): Promise<CheckOutcome> {
  const check = await target.call('workspace.check', { verifyContent: true });
  if (!repair) return { text: checkText(check), value: { check, repair: null }, remaining: check.damaged.length };
  const report = await target.call('workspace.repair', {});
  return { text: [checkText(check), '', repairText(report)].join('\n'), value: { check, repair: report }, remaining: report.after.damaged.length };
}

export function checkText(check: WorkspaceCheck): string {
  const lines: string[] = [];
  if (check.damaged.length === 0) lines.push(`Nothing damaged${check.contentVerified ? '; every dataset still matches the content hash stored at its import' : ''}.`);
  else {
    lines.push(`${check.damaged.length} damaged item${check.damaged.length === 1 ? '' : 's'}:`);
    for (const item of check.damaged) lines.push(...damagedLines(item));
  }
  if (check.cleanedAtStart.length > 0) lines.push('Leftovers removed when the lab opened the workspace:', ...check.cleanedAtStart.map(leftoverLine));
  if (check.leftovers.length > 0) lines.push('Leftovers still there (removed when the lab that owns the workspace starts):', ...check.leftovers.map(leftoverLine));
  if (check.damaged.length > 0) lines.push('aelab check --repair moves the damaged items to the workspace\'s quarantine folder (nothing is deleted).');
  return lines.join('\n');
}

export function repairText(report: RepairReport): string {
  if (report.moved.length === 0 && report.failed.length === 0) return 'Nothing to move.';
  const lines = [`Moved ${report.moved.length} item${report.moved.length === 1 ? '' : 's'} to ${safeName(report.quarantine ?? '')} (what was wrong is in its quarantine.json):`];
  lines.push(...report.moved.map((item) => `  ${item.kind.padEnd(8)} ${safeName(item.path)}`));
  if (report.failed.length > 0) lines.push('Could not move:', ...report.failed.map(({ item, reason }) => `  ${item.kind.padEnd(8)} ${safeName(item.path)}: ${safeName(reason)}`));
  return lines.join('\n');
}

function damagedLines(item: DamagedItem): string[] {
  return [`  ${item.kind.padEnd(8)} ${safeName(item.path)}`, `    problem: ${safeName(item.problem)}`, `    remedy:  ${safeName(item.remedy)}`];
}

function leftoverLine(leftover: Leftover): string {
  return `  ${leftover.kind.padEnd(8)} ${safeName(leftover.path)} — ${leftover.description}`;
}

/** One line under a list (`aelab datasets`, `aelab runs`) per damaged item of that kind, so none is hidden there. */
export function damagedNote(damaged: readonly DamagedItem[]): string {
  if (damaged.length === 0) return '';
  return ['', `damaged (aelab check says more):`, ...damaged.map((item) => `  ${safeName(item.path)}: ${safeName(item.problem)}`)].join('\n');
}

/**
 * The damaged items of some kinds, for a list command. In JSON mode the list's shape stays as
 * scripts know it, and a note on stderr says the damaged items are there.
 */
export async function damagedOf(target: CheckTarget, kinds: ReadonlyArray<DamagedItem['kind']>, json: boolean): Promise<DamagedItem[]> {
  const { damaged } = await target.call('workspace.check', {});
  const ofKinds = damaged.filter((item) => kinds.includes(item.kind));
  if (json && ofKinds.length > 0) process.stderr.write(`aelab: note: ${ofKinds.length} damaged item${ofKinds.length === 1 ? '' : 's'} not in this list (aelab check --json lists them)\n`);
  return ofKinds;
}
