import { join } from 'node:path';

/** The workspace's folder of datasets: one folder per dataset id. */
export const datasetsRoot = (workspace: string): string => join(workspace, 'datasets');

/**
 * One dataset's folder: the binary data file (written once at import) and its meta file
 * (the user's name for it, rewritten on rename). The only place these names are spelled.
 */
export class DatasetFolder {
  readonly dir: string;

  constructor(
    root: string,
    readonly id: string,
  ) {
    this.dir = join(root, id);
  }

  /** The folder of dataset `id` in a workspace. */
  static inWorkspace(workspace: string, id: string): DatasetFolder {
    return new DatasetFolder(datasetsRoot(workspace), id);
  }

  get dataFile(): string {
    return join(this.dir, 'dataset.aeds');
  }
  get metaFile(): string {
    return join(this.dir, 'meta.json');
  }
}
