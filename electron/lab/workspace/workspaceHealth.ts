import { existsSync } from 'node:fs';
import { readdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DamagedItem, Leftover, RepairReport, WorkspaceCheck } from '../../../shared/domain/workspaceHealth.js';
import { LabError } from '../../../shared/result.js';
import { JobFolder, jobsRoot } from '../../format/jobs/jobFolder.js';
import { QuarantineFolder, quarantineRecordFormat } from '../../format/workspace/quarantine.js';
import { writeVersioned } from '../../format/versionedFile.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { builtinsLedgerFile, readBuiltinsLedger } from '../datasets/builtin/builtins.js';
import type { DatasetStore } from '../datasets/store.js';
import type { PresetStore } from '../presets/presetStore.js';
import type { RunScan } from './runScan.js';
import { cleanLeftovers, findLeftovers, leftoverMinAgeMs } from './leftovers.js';
import { repairHint, workspaceRelative, workspaceRelativeText } from './workspacePaths.js';

export interface HealthSources {
  datasets: DatasetStore;
  runs: { scan(): Promise<RunScan> };
  presets: PresetStore;
  presetsFile: string;
}

/**
 * What is wrong in a workspace, in one list: damaged datasets, runs, jobs and workspace
 * files, and leftovers of killed work. A repair moves the damaged items to a quarantine
 * folder of the workspace and deletes nothing; leftovers are removed when the lab opens.
 */
export class WorkspaceHealth {
  private cleaning: Promise<Leftover[]> = Promise.resolve([]);

  constructor(
    private readonly workspace: string,
    private readonly sources: HealthSources,
  ) {}

  /**
   * Removes the leftovers of killed imports, deletes and writes, once, when the lab opens the
   * workspace. Only the process that owns the workspace may call it: another one's work in
   * progress looks like a leftover. Never fails (a read-only disk leaves them listed).
   */
  cleanOnStart(minAgeMs = leftoverMinAgeMs): Promise<Leftover[]> {
    this.cleaning = cleanLeftovers(this.workspace, minAgeMs).catch(() => []);
    return this.cleaning;
  }

  async check(verifyContent = false): Promise<WorkspaceCheck> {
    const cleanedAtStart = await this.cleaning;
    if (verifyContent) await this.sources.datasets.verifyAll();
    const [datasets, runs, jobs, files] = await Promise.all([this.sources.datasets.damagedItems(), this.sources.runs.scan(), this.damagedJobs(), this.damagedFiles()]);
    const leftovers = (await findLeftovers(this.workspace)).map(({ absolute: _absolute, ...leftover }) => leftover);
    return { damaged: [...datasets, ...runs.damaged, ...jobs, ...files], leftovers, cleanedAtStart, contentVerified: verifyContent };
  }

  /** A damaged builtins.json, or null: while it cannot be read, no built-in dataset is made. */
  async builtinsLedgerDamage(): Promise<DamagedItem | null> {
    try {
      await readBuiltinsLedger(this.workspace);
      return null;
    } catch (cause) {
      return this.fileDamage(builtinsLedgerFile(this.workspace), cause, 'Fix the file by hand, or move it to quarantine: the lab then makes the built-in datasets again, once (a built-in you deleted comes back, and can be deleted again)');
    }
  }

  /** Moves every damaged item (as the last check found them) to quarantine/<time>/, under its own path there. */
  async repair(): Promise<RepairReport> {
    const { damaged } = await this.check(false);
    if (damaged.length === 0) return { quarantine: null, moved: [], failed: [], after: await this.check(false) };
    const folder = new QuarantineFolder(this.workspace, await this.freshName());
    const moved: DamagedItem[] = [];
    const failed: RepairReport['failed'] = [];
    for (const item of damaged) {
      const target = folder.placeOf(item.path);
      try {
        await makeFolder(dirname(target));
        await rename(join(this.workspace, ...item.path.split('/')), target);
        moved.push(item);
        if (item.kind === 'dataset') this.sources.datasets.forget(item.id);
      } catch (cause) {
        failed.push({ item, reason: workspaceRelativeText(this.workspace, (cause as Error).message) });
      }
    }
    if (moved.length > 0) await writeVersioned(quarantineRecordFormat, folder.recordFile, { movedAt: new Date().toISOString(), items: moved });
    return { quarantine: workspaceRelative(this.workspace, folder.dir), moved, failed, after: await this.check(false) };
  }

  private async freshName(): Promise<string> {
    const base = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    let name = base;
    for (let n = 2; existsSync(new QuarantineFolder(this.workspace, name).dir); n += 1) name = `${base}-${n}`;
    return name;
  }

  /** Job folders whose job.json or state.json cannot be read; one being created right now is not damaged yet. */
  private async damagedJobs(): Promise<DamagedItem[]> {
    const root = jobsRoot(this.workspace);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const damaged: DamagedItem[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const folder = new JobFolder(this.workspace, entry.name);
      try {
        await Promise.all([folder.readSpec(), folder.readState()]);
      } catch (cause) {
        const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
        if (missing && Date.now() - ((await stat(folder.dir).catch(() => undefined))?.mtimeMs ?? 0) < leftoverMinAgeMs) continue;
        const problem = missing ? `${workspaceRelative(this.workspace, (cause as NodeJS.ErrnoException).path ?? folder.dir)} is missing` : workspaceRelativeText(this.workspace, (cause as Error).message);
        damaged.push({ kind: 'job', id: entry.name, path: workspaceRelative(this.workspace, folder.dir), problem, remedy: `The job is not listed and cannot be resumed; its runs, if any, are listed on their own. Fix the file by hand, or ${repairHint}` });
      }
    }
    return damaged;
  }

  private async damagedFiles(): Promise<DamagedItem[]> {
    const damaged: DamagedItem[] = [];
    const ledger = await this.builtinsLedgerDamage();
    if (ledger) damaged.push(ledger);
    try {
      await this.sources.presets.list();
    } catch (cause) {
      damaged.push(this.fileDamage(this.sources.presetsFile, cause, 'Fix the file by hand, or move it to quarantine: your saved configurations are in it (the lecture’s built-in ones are not), and saving a new one is refused until then'));
    }
    return damaged;
  }

  private fileDamage(file: string, cause: unknown, remedy: string): DamagedItem {
    const path = workspaceRelative(this.workspace, file);
    // The readers' messages end in their own advice; here the remedy has a field of its own.
    const message = cause instanceof LabError ? cause.message.split('; fix or move the file')[0] ?? cause.message : (cause as Error).message;
    return { kind: 'file', id: path, path, problem: workspaceRelativeText(this.workspace, message), remedy };
  }
}
