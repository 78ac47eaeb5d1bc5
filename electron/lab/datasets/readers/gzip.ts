import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { LabError } from '../../../../shared/result.js';

const gunzipAsync = promisify(gunzip);

export const isGzip = (bytes: Buffer): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Inflates gzip content (off the main thread), leaves anything else as it is. */
export async function maybeGunzip(bytes: Buffer, display: string, maxBytes = 4 * 1024 ** 3): Promise<Buffer> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (cause) {
    throw new LabError('corrupt-file', `${display}: gzip data is truncated or corrupt (${(cause as Error).message})`);
  }
}
