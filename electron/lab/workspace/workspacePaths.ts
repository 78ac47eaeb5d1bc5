import { relative, sep } from 'node:path';

/** A path inside the workspace as the user reads it: relative, '/'-separated. */
export function workspaceRelative(workspace: string, path: string): string {
  return relative(workspace, path).split(sep).join('/');
}

/** A message with the workspace's own folder taken out of every path it names. */
export function workspaceRelativeText(workspace: string, text: string): string {
  return text.split(`${workspace}${sep}`).join('').split(`${workspace}`).join('.');
}

export const repairHint = "move it to the workspace's quarantine folder (aelab check --repair, or Workspace check → Move damaged items to quarantine)";
