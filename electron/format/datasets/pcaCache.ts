import { readFile } from 'node:fs/promises';
import { makeFolder } from '../workspace/writeFailure.js';
import { join } from 'node:path';
import { pcaSummarySchema, type PcaSummary } from '../../../shared/analyses/pca/pcaSpec.js';
import { LabError } from '../../../shared/result.js';
import { defineFormat, readVersionedIfPresent, writeVersioned } from '../versionedFile.js';
import { writeFileAtomic } from '../workspace/atomicWrite.js';
import { DatasetFolder } from './datasetFolder.js';

export const pcaSummaryFormat = defineFormat('PCA summary', 1, pcaSummarySchema);

/**
 * A dataset's PCA, kept beside it: `pca/pca.json` (the curves), `pca/components.f32`
 * (components × D, row-major) and `pca/mean.f32` (D). Written by the engine's PCA analysis,
 * read by everything that holds a run against PCA.
 */
export class PcaCache {
  readonly dir: string;

  constructor(
    workspace: string,
    readonly datasetId: string,
  ) {
    this.dir = join(DatasetFolder.inWorkspace(workspace, datasetId).dir, 'pca');
  }

  get summaryFile(): string {
    return join(this.dir, 'pca.json');
  }
  get componentsFile(): string {
    return join(this.dir, 'components.f32');
  }
  get meanFile(): string {
    return join(this.dir, 'mean.f32');
  }

  /** Arrays first, summary last: a summary on disk means its arrays are complete. */
  async write(summary: PcaSummary, components: Float32Array, mean: Float32Array): Promise<void> {
    await makeFolder(this.dir);
    await writeFileAtomic(this.componentsFile, new Uint8Array(components.buffer, components.byteOffset, components.byteLength));
    await writeFileAtomic(this.meanFile, new Uint8Array(mean.buffer, mean.byteOffset, mean.byteLength));
    await writeVersioned(pcaSummaryFormat, this.summaryFile, summary, 0);
  }

  /** The summary if there is one for this content (a re-imported dataset's old PCA does not count). */
  async readSummary(contentHash?: string): Promise<PcaSummary | null> {
    const summary = await readVersionedIfPresent(pcaSummaryFormat, this.summaryFile);
    return summary && (contentHash === undefined || summary.contentHash === contentHash) ? summary : null;
  }

  /** The first `k` components (k × D) and the mean. */
  async readComponents(summary: PcaSummary, k = summary.components): Promise<{ components: Float32Array; mean: Float32Array }> {
    const [components, mean] = await Promise.all([readFile(this.componentsFile), readFile(this.meanFile)]);
    const D = summary.dimension;
    if (components.byteLength !== summary.components * D * 4 || mean.byteLength !== D * 4) {
      throw new LabError('corrupt-file', `${this.dir}: the PCA's arrays do not match its summary (${summary.components} components of ${D}); run the PCA again`);
    }
    const floats = new Float32Array(Uint8Array.prototype.slice.call(components).buffer);
    return { components: floats.subarray(0, Math.min(k, summary.components) * D), mean: new Float32Array(Uint8Array.prototype.slice.call(mean).buffer) };
  }
}
