import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { LabError } from '../../../../shared/result.js';
import { isSystemClutter, type SourceFile } from './sourceFile.js';

/** Limits that stop a ZIP bomb before it is inflated; yauzl also checks each entry's real size. */
export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Uncompressed ÷ compressed size above which an entry of more than 1 MiB is refused. */
  maxRatio: number;
}

export const defaultZipLimits: ZipLimits = {
  maxEntries: 250_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntryBytes: 1024 ** 3,
  maxRatio: 200,
};

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('no archive'));
      else resolve(zip);
    });
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      (stream as Readable).on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    });
  });
}

/** An entry name that would land outside the archive's folder if extracted (zip slip). */
export function isUnsafeEntryName(name: string): boolean {
  const normalized = name.replace(/\\/g, '/');
  return normalized.startsWith('/') || /^[a-zA-Z]:/.test(normalized) || normalized.split('/').some((segment) => segment === '..');
}

/**
 * The archive's files as sources, read lazily. The whole archive is refused when an
 * entry's path escapes it or the sizes look like a ZIP bomb.
 */
export async function zipSources(archive: SourceFile, limits: ZipLimits = defaultZipLimits): Promise<SourceFile[]> {
  const bytes = await archive.read();
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (cause) {
    throw new LabError('corrupt-file', `${archive.display}: not a readable ZIP archive (${(cause as Error).message})`);
  }
  const entries = await readEntries(zip).catch((cause: Error) => {
    // yauzl itself stops at the first entry with a path that escapes the archive.
    const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(cause.message);
    if (unsafe) throw new LabError('unsafe-archive', `${archive.display}: entry '${unsafe[1] ?? ''}' points outside the archive; the archive was refused`);
    throw new LabError('corrupt-file', `${archive.display}: the archive's directory is damaged (${cause.message})`);
  });
  if (entries.length > limits.maxEntries) {
    throw new LabError('archive-too-large', `${archive.display}: ${entries.length} entries is more than the limit of ${limits.maxEntries}`);
  }
  let total = 0;
  for (const entry of entries) {
    if (isUnsafeEntryName(entry.fileName)) {
      throw new LabError('unsafe-archive', `${archive.display}: entry '${entry.fileName}' points outside the archive; the archive was refused`);
    }
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > limits.maxEntryBytes || (entry.uncompressedSize > 1024 ** 2 && ratio > limits.maxRatio)) {
      throw new LabError(
        'archive-too-large',
        `${archive.display}: entry '${entry.fileName}' would inflate to ${entry.uncompressedSize} bytes (ratio ${ratio.toFixed(0)}:1); refused as a likely ZIP bomb`,
      );
    }
  }
  if (total > limits.maxTotalBytes) {
    throw new LabError('archive-too-large', `${archive.display}: would inflate to ${total} bytes, more than the limit of ${limits.maxTotalBytes}`);
  }
  const archiveName = archive.segments[archive.segments.length - 1]?.replace(/\.zip$/i, '') ?? 'archive';
  return entries
    .filter((entry) => !entry.fileName.endsWith('/'))
    .map((entry) => {
      const inner = entry.fileName.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
      return { entry, inner };
    })
    .filter(({ inner }) => !isSystemClutter(inner))
    .map(({ entry, inner }) => ({
      display: `${archive.display} › ${entry.fileName}`,
      segments: [...archive.segments.slice(0, -1), archiveName, ...inner],
      size: entry.uncompressedSize,
      read: async () => {
        // Bit 0 of the general-purpose flags marks an encrypted entry, whose bytes would only read as damage.
        if ((entry.generalPurposeBitFlag & 0x1) !== 0) {
          throw new LabError('unsupported-format', `${archive.display} › ${entry.fileName}: the entry is encrypted (password-protected); the lab reads unencrypted archives only, so extract it first`);
        }
        try {
          return await readEntry(zip, entry);
        } catch (cause) {
          throw new LabError('corrupt-file', `${archive.display} › ${entry.fileName}: cannot be inflated, the archive is damaged (${(cause as Error).message})`);
        }
      },
    }));
}
