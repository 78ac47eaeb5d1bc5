import { join } from 'node:path';
import { z } from 'zod';
import { damagedItemSchema } from '../../../shared/domain/workspaceHealth.js';
import { defineFormat } from '../versionedFile.js';

/** The workspace's quarantine: damaged items moved out of the way by a repair, one folder per repair. */
export const quarantineFolderName = 'quarantine';
export const quarantineRoot = (workspace: string): string => join(workspace, quarantineFolderName);

/**
 * One repair's folder: each moved item under its workspace-relative path (so moving it back is
 * one rename), and `quarantine.json` saying what was wrong with each.
 */
export class QuarantineFolder {
  readonly dir: string;

  constructor(workspace: string, readonly name: string) {
    this.dir = join(quarantineRoot(workspace), name);
  }

  get recordFile(): string {
    return join(this.dir, 'quarantine.json');
  }

  /** Where an item at `relativePath` ('/'-separated, inside the workspace) goes. */
  placeOf(relativePath: string): string {
    return join(this.dir, ...relativePath.split('/'));
  }
}

export const quarantineRecordFormat = defineFormat('quarantine record', 1, z.object({ movedAt: z.string(), items: z.array(damagedItemSchema) }));
