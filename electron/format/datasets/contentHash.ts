import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { DatasetHeader } from './binaryFormat.js';
import type { DatasetData } from './datasetData.js';

/** What the hash covers besides the bytes: the names a reader of the samples depends on. */
function hashStart(shape: readonly number[], classNames: readonly string[], dtype: DatasetHeader['dtype']): Hash {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ shape, classNames, dtype: dtype === 'uint8' ? 'Uint8Array' : 'Float32Array' }));
  return hash;
}

/** Identity of the content, independent of name, source path or split. */
export function hashContent(data: DatasetData): string {
  const hash = hashStart(data.shape, data.classNames, data.samples instanceof Uint8Array ? 'uint8' : 'float32');
  hash.update(new Uint8Array(data.samples.buffer, data.samples.byteOffset, data.samples.byteLength));
  hash.update(new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength));
  return hash.digest('hex');
}

const chunkBytes = 4 * 1024 * 1024;

/**
 * The same hash computed from a stored file's sections, read in chunks so a large dataset
 * is never held twice. Equal to the header's `contentHash` while the bytes are as imported.
 */
export async function hashStoredContent(handle: FileHandle, header: DatasetHeader, dataStart: number): Promise<string> {
  const hash = hashStart(header.shape, header.classNames, header.dtype);
  const buffer = Buffer.alloc(chunkBytes);
  for (const section of [header.sections.samples, header.sections.labels]) {
    for (let done = 0; done < section.byteLength; ) {
      const want = Math.min(chunkBytes, section.byteLength - done);
      const { bytesRead } = await handle.read(buffer, 0, want, dataStart + section.offset + done);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
    }
  }
  return hash.digest('hex');
}
