import { lstat, readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { UploadedFile } from '../../../../shared/contract/labApi.js';
import type { SkippedFile } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { datasetReaders } from '../readers/registry.js';
import { extensionOf, isSystemClutter, type SourceFile } from './sourceFile.js';
import { zipSources } from './zipArchive.js';

export interface CollectedSources {
  files: SourceFile[];
  skipped: SkippedFile[];
  /** The name a new dataset gets when the user gives none. */
  suggestedName: string;
  /** Set when the input was one ZIP archive. */
  fromZip: boolean;
}

function diskFile(path: string, segments: string[], size: number): SourceFile {
  return {
    display: path,
    segments,
    size,
    read: async () => {
      try {
        return await readFile(path);
      } catch (cause) {
        throw new LabError('io-error', `${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`);
      }
    },
  };
}

async function walk(path: string, segments: string[], out: SourceFile[], skipped: SkippedFile[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (cause) {
    skipped.push({ file: path, reason: `folder cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  for (const entry of entries) {
    const child = join(path, entry.name);
    const childSegments = [...segments, entry.name];
    if (isSystemClutter([entry.name])) continue;
    // Symbolic links are not followed: a link loop or a link out of the folder is not data.
    if (entry.isDirectory()) await walk(child, childSegments, out, skipped);
    else if (entry.isFile()) {
      const info = await lstat(child);
      out.push(diskFile(child, childSegments, info.size));
    } else skipped.push({ file: child, reason: 'not a regular file (link, device or socket)' });
  }
}

async function expandArchives(files: SourceFile[]): Promise<{ files: SourceFile[]; fromZip: boolean }> {
  const out: SourceFile[] = [];
  let archives = 0;
  for (const file of files) {
    if (extensionOf(file.segments[file.segments.length - 1] ?? '') === '.zip') {
      archives += 1;
      out.push(...(await zipSources(file)));
    } else out.push(file);
  }
  return { files: out, fromZip: archives === 1 && files.length === 1 };
}

/** A dropped item's name without what names its format or container: 'x.csv' → 'x', 'pets.zip' → 'pets'. */
function stemOf(name: string | undefined): string {
  if (name === undefined) return 'dataset';
  const suffix = datasetReaders.find((r) => r.nameSuffix?.test(name))?.nameSuffix;
  return name.replace(suffix ?? /\.(zip|gz)$/i, '') || 'dataset';
}

/** Files and folders on disk, as the Electron host and the CLI receive them. */
export async function collectFromPaths(paths: string[]): Promise<CollectedSources> {
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await lstat(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new LabError(code === 'ENOENT' ? 'not-found' : 'io-error', `${path}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? 'error'})`}`);
    }
    if (info.isDirectory()) await walk(path, [basename(path)], files, skipped);
    else if (info.isFile()) files.push(diskFile(path, [basename(path)], info.size));
    else skipped.push({ file: path, reason: 'not a regular file' });
  }
  const expanded = await expandArchives(files);
  return { files: expanded.files, skipped, fromZip: expanded.fromZip, suggestedName: suggestFromPaths(paths) };
}

/** Files a browser uploaded, with their paths relative to what was dropped. */
export async function collectFromUploads(uploads: UploadedFile[]): Promise<CollectedSources> {
  const files: SourceFile[] = [];
  for (const upload of uploads) {
    const segments = upload.path.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || segments.includes('..')) throw new LabError('invalid-request', `uploaded path '${upload.path}' is not a relative path`);
    if (isSystemClutter(segments)) continue;
    const bytes = Buffer.from(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength);
    files.push({ display: upload.path, segments, size: bytes.byteLength, read: () => Promise.resolve(bytes) });
  }
  const expanded = await expandArchives(files);
  const roots = [...new Set(files.map((f) => f.segments[0] ?? ''))];
  return { files: expanded.files, skipped: [], fromZip: expanded.fromZip, suggestedName: suggestName(roots) };
}

function suggestFromPaths(paths: string[]): string {
  const parents = new Set(paths.map((p) => dirname(p)));
  const [parent] = parents;
  // Several files from one folder (IDX pairs, x.npy + y.npy) are named after the folder.
  if (paths.length > 1 && parents.size === 1 && parent !== undefined) return basename(parent) || suggestName(paths.map((p) => basename(p)));
  return suggestName(paths.map((p) => basename(p)));
}

function suggestName(roots: string[]): string {
  if (roots.length === 1) return stemOf(roots[0]);
  for (const reader of datasetReaders) {
    const name = reader.nameOfSeveral?.(roots, stemOf);
    if (name !== undefined) return name;
  }
  return stemOf(roots[0]);
}
