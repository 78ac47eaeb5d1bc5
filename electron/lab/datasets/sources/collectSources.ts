import type { Stats } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { UploadedFile } from '../../../../shared/contract/labApi.js';
import type { SkippedFile } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { throwIfCancelled } from '../readers/datasetReader.js';
import { formatBytes, importLimits, overLimit } from '../readers/limits.js';
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
      if (size > importLimits.maxFileBytes) throw tooLarge(path, size);
      try {
        return await readFile(path);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        // The file grew past the limit after it was listed.
        if (code === 'ERR_FS_FILE_TOO_LARGE') throw tooLarge(path, undefined);
        throw new LabError('io-error', `${path}: cannot be read (${code ?? (cause as Error).message})`);
      }
    },
  };
}

/** `size` undefined: the file grew past the limit while it was read. */
const tooLarge = (path: string, size: number | undefined): LabError =>
  new LabError('too-large', `${path}: ${size === undefined ? 'the file' : formatBytes(size)} ${overLimit(`${formatBytes(importLimits.maxFileBytes)} for one file`)}`);

/** What a path that is neither file nor folder is, in words; undefined for a file, folder or link. */
function specialKind(info: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return undefined;
}

const isInside = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);

/** Why a symbolic link inside a dropped folder is passed over: links are never followed there, and the reason says where it leads. */
async function linkReason(link: string, root: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    return 'symbolic link to something that does not exist; not followed';
  }
  // A link out of the folder (or into a loop) is not the folder's data; one within it points at a file read in its own place.
  if (!isInside(target, root)) return `symbolic link to ${target}, outside the folder; not followed`;
  return 'symbolic link within the folder; not followed (its target is read where it lies)';
}

async function walk(path: string, segments: string[], root: string, out: SourceFile[], skipped: SkippedFile[], signal: AbortSignal | undefined): Promise<void> {
  throwIfCancelled(signal);
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
    // Some file systems give no type with the name; lstat says then.
    const info = entry.isDirectory() || entry.isFile() || entry.isSymbolicLink() ? entry : await lstat(child).catch(() => undefined);
    if (info === undefined) skipped.push({ file: child, reason: 'cannot be read (it vanished while the folder was listed)' });
    else if (info.isDirectory()) await walk(child, childSegments, root, out, skipped, signal);
    else if (info.isFile()) out.push(diskFile(child, childSegments, (await lstat(child)).size));
    else if (info.isSymbolicLink()) skipped.push({ file: child, reason: await linkReason(child, root) });
    else skipped.push({ file: child, reason: `${specialKind(info) ?? 'not a regular file'}, not a file; not read` });
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

/**
 * Files and folders on disk, as the Electron host and the CLI receive them. A path the user
 * named is followed when it is a symbolic link (a data folder linked from another disk is
 * common); links found inside a folder are not.
 */
export async function collectFromPaths(paths: string[], signal?: AbortSignal): Promise<CollectedSources> {
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of paths) {
    throwIfCancelled(signal);
    let info: Stats;
    let linkedTo: string | undefined;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) {
        linkedTo = await readlink(path);
        info = await stat(path);
      }
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (linkedTo !== undefined && code === 'ENOENT') throw new LabError('not-found', `${path}: a symbolic link to ${linkedTo}, which does not exist`);
      throw new LabError(code === 'ENOENT' ? 'not-found' : 'io-error', `${path}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? 'error'})`}`);
    }
    if (info.isDirectory()) await walk(path, [basename(path)], await realpath(path), files, skipped, signal);
    else if (info.isFile()) files.push(diskFile(path, [basename(path)], info.size));
    else {
      // Reading a pipe or a device could block forever or never end: it is named and refused.
      const via = linkedTo === undefined ? '' : ` (a symbolic link to ${linkedTo})`;
      throw new LabError('unsupported-format', `${path}${via}: ${specialKind(info) ?? 'not a regular file'}, not a file or folder; the lab imports files and folders`);
    }
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
