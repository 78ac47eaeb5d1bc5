import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runSummarySchema, type RunSummary } from '../../../shared/domain/run.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import { LabError } from '../../../shared/result.js';
import { runsRoot } from '../../format/runs/runFolder.js';
import { repairHint, workspaceRelative, workspaceRelativeText } from './workspacePaths.js';

export interface RunScan {
  runs: RunSummary[];
  damaged: DamagedItem[];
}

/**
 * Every run folder of the workspace, read as a summary; a folder whose files cannot be read,
 * or whose summary the contract would refuse, is a damaged run — listed, never dropped, so
 * that one bad run never takes the list down. `skip` holds runs being created right now.
 */
export async function scanRuns(workspace: string, read: (id: string) => Promise<RunSummary>, skip: ReadonlySet<string> = new Set()): Promise<RunScan> {
  const root = runsRoot(workspace);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const ids = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !skip.has(e.name)).map((e) => e.name);
  const runs: RunSummary[] = [];
  const damaged: DamagedItem[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const path = workspaceRelative(workspace, join(root, id));
      try {
        const summary = await read(id);
        const parsed = runSummarySchema.safeParse(summary);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.map(String).join('.') ?? '';
          const file = field.startsWith('config.') || field === 'name' ? 'config.json' : 'state.json';
          damaged.push(runDamage(id, path, `${path}/${file}: field '${field.replace(/^config\./, '')}': ${issue?.message ?? 'invalid'}`));
        } else runs.push(summary);
      } catch (cause) {
        // A folder removed while the list was read is gone, not damaged.
        if (cause instanceof LabError && cause.code === 'not-found') return;
        damaged.push(runDamage(id, path, workspaceRelativeText(workspace, cause instanceof Error ? cause.message : String(cause))));
      }
    }),
  );
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  damaged.sort((a, b) => a.id.localeCompare(b.id));
  return { runs, damaged };
}

function runDamage(id: string, path: string, problem: string): DamagedItem {
  return {
    kind: 'run',
    id,
    path,
    problem,
    remedy: `The run cannot be opened or resumed. Fix the file by hand if you know its content, or ${repairHint}`,
  };
}
