import { readdir, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Leftover } from '../../../shared/domain/workspaceHealth.js';
import { datasetsRoot } from '../../format/datasets/datasetFolder.js';
import { jobsRoot } from '../../format/jobs/jobFolder.js';
import { runsRoot, runStagingPrefix } from '../../format/runs/runFolder.js';
import { stagingPrefix } from '../datasets/store.js';
import { quarantineFolderName } from '../../format/workspace/quarantine.js';
import { workspaceRelative } from './workspacePaths.js';

/** A temporary file of `writeFileAtomic` (`.NAME.<12 hex>.tmp`): the write it belonged to never finished. */
const temporaryFile = /^\..+\.[0-9a-f]{12}\.tmp$/;
const deletedFolder = /^\.deleted-/;

export interface FoundLeftover extends Leftover {
  absolute: string;
}

/**
 * By default only what has not changed for this long is taken for a leftover: a file being
 * written right now by a lab or engine on the same workspace is young, a killed one's is old.
 */
export const leftoverMinAgeMs = 60_000;

/**
 * The leftovers of killed work: staging folders of imports and of new runs, `.deleted-*` folders of deletes,
 * temporary files of atomic writes, and dataset folders an older lab's killed import left
 * holding only temporary files. Nothing a user made is ever among them.
 */
export async function findLeftovers(workspace: string, minAgeMs = leftoverMinAgeMs, now = Date.now()): Promise<FoundLeftover[]> {
  const found: FoundLeftover[] = [];
  const add = async (absolute: string, kind: Leftover['kind'], description: string): Promise<void> => {
    if (now - (await newestChange(absolute)) < minAgeMs) return;
    found.push({ kind, path: workspaceRelative(workspace, absolute), description, absolute });
  };
  const datasets = datasetsRoot(workspace);
  for (const entry of await entries(datasets)) {
    const path = join(datasets, entry.name);
    if (entry.isDirectory() && entry.name.startsWith(stagingPrefix)) await add(path, 'import', 'a dataset being stored when its import was stopped');
    else if (entry.isDirectory() && !entry.name.startsWith('.') && (await onlyTemporaryFiles(path))) await add(path, 'import', 'a dataset folder an import left empty, or holding only temporary files, before its data file was written');
  }
  const runs = runsRoot(workspace);
  for (const entry of await entries(runs)) {
    if (entry.isDirectory() && entry.name.startsWith(runStagingPrefix)) await add(join(runs, entry.name), 'create', 'a run being created when the lab was stopped, before it was queued');
  }
  for (const root of [datasets, runs, jobsRoot(workspace)]) {
    for (const entry of await entries(root)) {
      if (entry.isDirectory() && deletedFolder.test(entry.name)) await add(join(root, entry.name), 'delete', 'an item whose delete was stopped half-way');
    }
  }
  // A temporary file inside a leftover folder goes with its folder.
  const inFound = (file: string): boolean => found.some((f) => file.startsWith(`${f.absolute}${sep}`));
  for (const file of await temporaryFiles(workspace)) if (!inFound(file)) await add(file, 'write', 'a temporary file of a write that never finished; the file it was to replace is unchanged');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Removes the leftovers; answers those removed (one that cannot be removed is left and not claimed). */
export async function cleanLeftovers(workspace: string, minAgeMs = leftoverMinAgeMs): Promise<Leftover[]> {
  const removed: Leftover[] = [];
  for (const { absolute, ...leftover } of await findLeftovers(workspace, minAgeMs)) {
    try {
      await rm(absolute, { recursive: true, force: true });
      removed.push(leftover);
    } catch {
      // A read-only or full disk: it stays, and the next check lists it again.
    }
  }
  return removed;
}

async function entries(folder: string) {
  return readdir(folder, { withFileTypes: true }).catch(() => []);
}

async function onlyTemporaryFiles(folder: string): Promise<boolean> {
  const names = (await entries(folder)).map((e) => e.name);
  return names.every((name) => temporaryFile.test(name));
}

/** Temporary files in the workspace's own folders (the quarantine and leftover folders aside). */
async function temporaryFiles(workspace: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    for (const entry of await entries(folder)) {
      const path = join(folder, entry.name);
      if (entry.isFile() && temporaryFile.test(entry.name)) out.push(path);
      else if (entry.isDirectory() && depth < 5 && !(depth === 0 && entry.name === quarantineFolderName) && !entry.name.startsWith('.')) await walk(path, depth + 1);
    }
  };
  await walk(workspace, 0);
  return out;
}

/** The latest change to a path or, for a folder, to anything directly in it. */
async function newestChange(path: string): Promise<number> {
  let newest = (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
  for (const entry of await entries(path)) {
    const mtime = (await stat(join(path, entry.name)).catch(() => undefined))?.mtimeMs ?? 0;
    newest = Math.max(newest, mtime);
  }
  return newest;
}
