import { createGunzip } from 'node:zlib';
import { LabError } from '../../../../shared/result.js';
import { formatBytes, importLimits, overLimit } from './limits.js';

export const isGzip = (bytes: Buffer): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** How much a gzipped file may inflate to. */
export interface InflateBudget {
  /** The most bytes the inflated content may have, and how messages name that limit. */
  maxBytes: number;
  limitText: string;
  /**
   * The size the content declares, read from its first inflated bytes (an IDX or NPY
   * header): undefined while more bytes are needed. Throws a LabError for a header that
   * is wrong or declares more than a limit, which stops inflating at once.
   */
  declaredSize?: (head: Buffer) => number | undefined;
}

/** Refuses bytes after what a header declares: a wrong header or two files run together, never silently ignored. */
export function trailingDataError(display: string, trailing: number, declared: number, what: string, atLeast = false): LabError {
  return new LabError(
    'corrupt-file',
    `${display}: ${atLeast ? 'more than ' : ''}${formatBytes(trailing)} of data after the ${formatBytes(declared)} ${what}; the header does not describe this file`,
  );
}

/**
 * Inflates gzip content, leaves anything else as it is. Inflating is streamed and stops as
 * soon as the output passes what the header declares (or the budget), so a small file that
 * inflates to gigabytes costs no more memory than the data the header announces.
 */
export async function maybeGunzip(bytes: Buffer, display: string, budget: InflateBudget): Promise<Buffer> {
  if (!isGzip(bytes)) return bytes;
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let kept = 0;
    let declared: number | undefined;
    let trailing = 0;
    let settled = false;
    const fail = (error: LabError): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        if (declared === undefined && budget.declaredSize) {
          // Headers are small (the readers refuse one over 64 KiB), so this concatenates a chunk or two.
          declared = budget.declaredSize(Buffer.concat([...chunks, chunk]));
          if (declared !== undefined && declared > budget.maxBytes) {
            throw new LabError('too-large', `${display}: its header declares ${formatBytes(declared)} of data, which ${overLimit(budget.limitText)}`);
          }
        }
      } catch (cause) {
        fail(cause instanceof LabError ? cause : new LabError('corrupt-file', `${display}: damaged header`));
        return;
      }
      const room = (declared ?? budget.maxBytes) - kept;
      if (chunk.length <= room) {
        chunks.push(chunk);
        kept += chunk.length;
        return;
      }
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        kept += room;
      }
      if (declared === undefined) {
        fail(new LabError('too-large', `${display}: inflates to more than ${formatBytes(budget.maxBytes)}, which ${overLimit(budget.limitText)}`));
        return;
      }
      // Counted, not kept, so that the message can give the size; past a bound it says "more than".
      trailing += chunk.length - Math.max(room, 0);
      if (trailing > importLimits.trailingCountBytes) fail(trailingDataError(display, importLimits.trailingCountBytes, declared, 'its header declares', true));
    });
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      if (declared !== undefined && trailing > 0) reject(trailingDataError(display, trailing, declared, 'its header declares'));
      else resolve(Buffer.concat(chunks, kept));
    });
    gunzip.on('error', (cause: Error) => fail(new LabError('corrupt-file', `${display}: gzip data is truncated or corrupt (${cause.message})`)));
    gunzip.end(bytes);
  });
}
