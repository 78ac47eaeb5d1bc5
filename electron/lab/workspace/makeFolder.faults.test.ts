import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordFaultCase, recordSkippedCase } from '../testing/faultLedger.js';
import { mountSmallDisk } from '../testing/tmpfs.js';
import { makeFolder, WriteFailure } from '../../format/workspace/writeFailure.js';

/**
 * Node's recursive mkdir says ENOENT where a read-only mount refuses the new folder. Every folder
 * the lab makes (a checkpoint's `.partial`, a job, a PCA cache) goes through makeFolder, which
 * must name the real cause and the first folder it could not make — whatever the depth.
 */
describe('a folder made on a read-only disk', () => {
  it('says EROFS and names the folder, one level or several below what exists', async (context) => {
    const disk = mountSmallDisk(1 << 20);
    if ('skip' in disk) {
      recordSkippedCase('makeFolder on a read-only disk', disk.skip);
      context.skip(disk.skip);
      return;
    }
    // Counted whatever happens: a failed check or a throw is recorded as lost, with its first line.
    context.onTestFinished(() => {
      const result = context.task.result;
      recordFaultCase('makeFolder on a read-only disk', result?.state === 'pass' ? [] : [(result?.errors?.[0]?.message ?? 'the case did not finish').split('\n')[0] ?? '']);
    });
    try {
      const checkpoints = join(disk.dir, 'ws', 'runs', 'r1', 'checkpoints');
      mkdirSync(checkpoints, { recursive: true });
      disk.readOnly();
      const oneLevel = makeFolder(join(checkpoints, 'best.partial'));
      await expect(oneLevel).rejects.toBeInstanceOf(WriteFailure);
      await expect(oneLevel).rejects.toThrow(`Read-only file system (EROFS) writing ${join(checkpoints, 'best.partial')}`);
      const deeper = makeFolder(join(checkpoints, 'best.partial', 'encoder'));
      await expect(deeper).rejects.toThrow(`Read-only file system (EROFS) writing ${join(checkpoints, 'best.partial')}`);
      await expect(makeFolder(checkpoints)).resolves.toBeUndefined();
    } finally {
      disk.unmount();
    }
  });
});
