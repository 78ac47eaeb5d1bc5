import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { datasetSummarySchema, type DatasetPreview, type DatasetSummary, type SplitName } from '../../../shared/domain/dataset.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import { LabError } from '../../../shared/result.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { datasetMetaFormat, type DatasetMeta } from '../../format/datasets/datasetFormats.js';
import { readVersioned, writeVersioned } from '../../format/versionedFile.js';
import { writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { encodeDataset, readHeader, readSection, type DatasetHeader } from '../../format/datasets/binaryFormat.js';
import { hashContent, hashStoredContent } from '../../format/datasets/contentHash.js';
import { sampleSize, splitCode, type DatasetData } from '../../format/datasets/datasetData.js';
import { repairHint, workspaceRelative, workspaceRelativeText } from '../workspace/workspacePaths.js';
import { toDisplayBytes } from './previewPixels.js';

export { hashContent } from '../../format/datasets/contentHash.js';

/** Prefix of a dataset being stored: written whole beside the others, then renamed into place. */
export const stagingPrefix = '.importing-';

interface Entry {
  header: DatasetHeader;
  dataStart: number;
  meta: DatasetMeta;
  bytesOnDisk: number;
  /** The data file's size and mtime when its bytes last matched the stored hash. */
  verified?: { size: number; mtimeMs: number };
}

/**
 * The workspace's datasets: one folder each, an immutable data file and a small renamable
 * meta file. A folder that cannot be read is kept as a damaged item — listed with what is
 * wrong, its id still taken — never hidden and never overwritten by a later import.
 */
export class DatasetStore {
  private readonly entries = new Map<string, Entry>();
  private readonly damaged = new Map<string, DamagedItem>();
  private loaded = false;
  private readonly workspace: string;

  constructor(private readonly root: string) {
    this.workspace = dirname(root);
  }

  async list(): Promise<DatasetSummary[]> {
    await this.load();
    return [...this.entries.entries()]
      .map(([id, entry]) => summarize(id, entry))
      .sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.createdAt.localeCompare(b.createdAt));
  }

  /** The datasets that cannot be used as they are, with what is wrong and what to do. */
  async damagedItems(): Promise<DamagedItem[]> {
    await this.load();
    return [...this.damaged.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<DatasetSummary> {
    return summarize(id, await this.entry(id));
  }

  async findByHash(contentHash: string): Promise<DatasetSummary | undefined> {
    await this.load();
    for (const [id, entry] of this.entries) if (entry.header.contentHash === contentHash) return summarize(id, entry);
    return undefined;
  }

  async findBySource(source: string): Promise<DatasetSummary | undefined> {
    await this.load();
    for (const [id, entry] of this.entries) if (entry.header.source === source) return summarize(id, entry);
    return undefined;
  }

  /**
   * Stores a dataset unless the same content is already here; says which happened. The folder
   * is written under a staging name and renamed into place, so a killed import leaves only a
   * staging folder (cleaned at the next start) and an existing folder is never written into.
   * `options.id` is a wish: where it is taken (by any dataset, damaged or not) a suffix is added.
   */
  async save(data: DatasetData, name: string, options: { builtin?: boolean; id?: string } = {}): Promise<{ summary: DatasetSummary; duplicateOf?: string }> {
    await this.load();
    const contentHash = hashContent(data);
    const existing = await this.findByHash(contentHash);
    if (existing) return { summary: existing, duplicateOf: existing.id };
    const staging = new DatasetFolder(this.root, `${stagingPrefix}${randomBytes(6).toString('hex')}`);
    const meta: DatasetMeta = { name, builtin: options.builtin ?? false };
    try {
      await makeFolder(staging.dir);
      await writeFileAtomic(staging.dataFile, encodeDataset(data, contentHash, new Date().toISOString()));
      await writeVersioned(datasetMetaFormat, staging.metaFile, meta);
      const id = await this.moveIntoPlace(staging.dir, options.id ?? slugOf(name));
      this.entries.set(id, await readEntry(new DatasetFolder(this.root, id)));
      return { summary: await this.get(id) };
    } finally {
      await rm(staging.dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async rename(id: string, name: string): Promise<DatasetSummary> {
    const entry = await this.entry(id);
    entry.meta = { ...entry.meta, name };
    await writeVersioned(datasetMetaFormat, new DatasetFolder(this.root, id).metaFile, entry.meta);
    return summarize(id, entry);
  }

  /** Deletes a dataset, or a damaged one the user chose to delete. */
  async delete(id: string): Promise<void> {
    await this.load();
    if (!this.damaged.has(id)) await this.entry(id);
    // Rename first so a half-deleted folder is never mistaken for a dataset.
    const doomed = join(this.root, `.deleted-${id}-${randomBytes(4).toString('hex')}`);
    await rename(new DatasetFolder(this.root, id).dir, doomed);
    this.entries.delete(id);
    this.damaged.delete(id);
    await rm(doomed, { recursive: true, force: true });
  }

  /**
   * Checks the data file's samples and labels against the content hash stored at import.
   * Done again only when the file's size or mtime changed since it last matched; a mismatch
   * lists the dataset as damaged and refuses with a message naming the file.
   */
  async verify(id: string): Promise<void> {
    const entry = await this.entry(id);
    const file = new DatasetFolder(this.root, id).dataFile;
    const { size } = await stat(file);
    // Milliseconds: what every file system and a copy that keeps times agree on.
    const mtimeMs = Math.round((await stat(file)).mtimeMs);
    if (entry.verified && entry.verified.size === size && entry.verified.mtimeMs === mtimeMs) return;
    const handle = await open(file, 'r');
    let actual: string;
    try {
      actual = await hashStoredContent(handle, entry.header, entry.dataStart);
    } finally {
      await handle.close();
    }
    if (actual !== entry.header.contentHash) {
      const damage = this.markDamaged(
        id,
        `${this.relative(file)}: the samples no longer match the content hash stored when the dataset was imported — the file's bytes were changed or damaged on disk`,
        `Training on it is refused. Import the original files again, and ${repairHint}`,
      );
      throw damagedError(damage);
    }
    entry.verified = { size, mtimeMs };
  }

  /** Every dataset verified against its stored hash; the damaged ones are listed, nothing thrown. */
  async verifyAll(): Promise<void> {
    await this.load();
    for (const id of [...this.entries.keys()]) await this.verify(id).catch(() => undefined);
  }

  /** The store no longer knows the dataset (its folder was moved away, to quarantine). */
  forget(id: string): void {
    this.entries.delete(id);
    this.damaged.delete(id);
  }

  /** Samples spread over the classes (round robin), for the preview grid. */
  async preview(id: string, count: number, split?: SplitName): Promise<DatasetPreview> {
    const entry = await this.entry(id);
    const { header, dataStart } = entry;
    const handle = await open(new DatasetFolder(this.root, id).dataFile, 'r');
    try {
      const labelBytes = await readSection(handle, dataStart, header.sections.labels);
      const labels = new Int32Array(labelBytes.buffer, labelBytes.byteOffset, labelBytes.byteLength / 4);
      const splits = await readSection(handle, dataStart, header.sections.splits);
      const indices = pickPreviewIndices(labels, splits, header.classNames.length, count, split);
      const size = sampleSize(header.shape);
      const elementBytes = header.dtype === 'uint8' ? 1 : 4;
      const pixels = new Uint8Array(indices.length * size);
      for (let i = 0; i < indices.length; i += 1) {
        const index = indices[i] ?? 0;
        const raw = await readSection(handle, dataStart, header.sections.samples, index * size * elementBytes, size * elementBytes);
        const values = header.dtype === 'uint8' ? new Uint8Array(raw) : new Float32Array(raw.buffer, raw.byteOffset, size);
        pixels.set(toDisplayBytes(values), i * size);
      }
      return { datasetId: id, shape: header.shape, indices, labels: Int32Array.from(indices, (i) => labels[i] ?? -1), pixels };
    } finally {
      await handle.close();
    }
  }

  /** Indices and labels of one split, in index order (the order the engine evaluates in). */
  async split(id: string, split: SplitName): Promise<{ indices: Int32Array<ArrayBuffer>; labels: Int32Array<ArrayBuffer> }> {
    const { header, dataStart } = await this.entry(id);
    const handle = await open(new DatasetFolder(this.root, id).dataFile, 'r');
    try {
      const labelBytes = await readSection(handle, dataStart, header.sections.labels);
      const splits = await readSection(handle, dataStart, header.sections.splits);
      const labels = new Int32Array(labelBytes.buffer, labelBytes.byteOffset, labelBytes.byteLength / 4);
      const indices: number[] = [];
      splits.forEach((code, i) => code === splitCode[split] && indices.push(i));
      return { indices: Int32Array.from(indices), labels: Int32Array.from(indices, (i) => labels[i] ?? -1) };
    } finally {
      await handle.close();
    }
  }

  private async entry(id: string): Promise<Entry> {
    await this.load();
    const entry = this.entries.get(id);
    const damage = this.damaged.get(id);
    if (damage) throw damagedError(damage);
    if (!entry) throw new LabError('not-found', `No dataset with id '${id}' in this workspace`);
    return entry;
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    await makeFolder(this.root);
    for (const name of await readdir(this.root)) {
      if (name.startsWith('.')) continue;
      const folder = new DatasetFolder(this.root, name);
      const kind = await folderKind(folder);
      if (kind === 'not-a-dataset') continue;
      try {
        const entry = await readEntry(folder);
        this.checkContract(name, entry);
        this.entries.set(name, entry);
      } catch (cause) {
        this.markDamaged(name, this.problemOf(cause, folder), remedyFor(folder, cause));
      }
    }
    this.loaded = true;
  }

  /** A summary the contract would refuse is a damaged dataset, so that one bad file never takes the list down. */
  private checkContract(id: string, entry: Entry): void {
    const folder = new DatasetFolder(this.root, id);
    let summary: DatasetSummary;
    try {
      summary = summarize(id, entry);
    } catch (cause) {
      throw new LabError('corrupt-file', `${folder.dataFile}: the header lacks fields the lab needs (${(cause as Error).message})`);
    }
    const parsed = datasetSummarySchema.safeParse(summary);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') ?? '';
      throw new LabError('corrupt-file', `${folder.dataFile}: field '${field}' of the header: ${issue?.message ?? 'invalid'} (found ${JSON.stringify(valueAt(summary, issue?.path ?? []))})`);
    }
  }

  private markDamaged(id: string, problem: string, remedy: string): DamagedItem {
    this.entries.delete(id);
    const item: DamagedItem = { kind: 'dataset', id, path: this.relative(new DatasetFolder(this.root, id).dir), problem, remedy };
    this.damaged.set(id, item);
    return item;
  }

  private problemOf(cause: unknown, folder: DatasetFolder): string {
    const code = (cause as NodeJS.ErrnoException).code;
    if (cause instanceof LabError) return this.relativeText(cause.message);
    if (code === 'ENOENT') {
      const missing = existsSync(folder.dataFile) ? folder.metaFile : folder.dataFile;
      return `${this.relative(missing)} is missing`;
    }
    return `${this.relative(folder.dir)}: cannot be read (${code ?? (cause as Error).message})`;
  }

  private relative(path: string): string {
    return workspaceRelative(this.workspace, path);
  }

  /** Messages name files relative to the workspace: what the user sees in the workspace, no more of the disk. */
  private relativeText(text: string): string {
    return workspaceRelativeText(this.workspace, text);
  }

  private async moveIntoPlace(staged: string, wanted: string): Promise<string> {
    for (let attempt = 0; ; attempt += 1) {
      let id = wanted;
      while (this.taken(id)) id = `${wanted}-${randomBytes(3).toString('hex')}`;
      try {
        // rename() refuses a non-empty target: an existing folder is never written into.
        await rename(staged, new DatasetFolder(this.root, id).dir);
        return id;
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 3) throw cause;
      }
    }
  }

  /** An id is taken by a dataset, a damaged one, or any folder of that name (one being written elsewhere). */
  private taken(id: string): boolean {
    return this.entries.has(id) || this.damaged.has(id) || existsSync(join(this.root, id));
  }
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
}

function damagedError(item: DamagedItem): LabError {
  return new LabError('corrupt-file', `Dataset '${item.id}' is damaged: ${item.problem}. ${item.remedy}`);
}

function remedyFor(folder: DatasetFolder, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : '';
  if (message.startsWith(folder.metaFile)) return `Fix meta.json by hand (it holds only the dataset's name and built-in flag), or ${repairHint} and import the files again; the id stays taken until then`;
  return `Import the original files again, and ${repairHint}; the id stays taken until then`;
}

/**
 * Whether a folder holds a dataset (whole or damaged) or nothing of one: an empty folder, or
 * one with only temporary files, is what an interrupted save of an older lab left behind
 * (a leftover the start-up cleaning removes), not a dataset.
 */
async function folderKind(folder: DatasetFolder): Promise<'dataset' | 'not-a-dataset'> {
  let names: string[];
  try {
    names = await readdir(folder.dir);
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not-a-dataset' : 'dataset';
  }
  return names.some((name) => !name.startsWith('.')) ? 'dataset' : 'not-a-dataset';
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = at === null || typeof at !== 'object' ? undefined : (at as Record<PropertyKey, unknown>)[key];
  return at;
}

async function readEntry(folder: DatasetFolder): Promise<Entry> {
  const file = folder.dataFile;
  const handle = await open(file, 'r');
  try {
    const { header, dataStart } = await readHeader(handle, file);
    const bytesOnDisk = (await handle.stat()).size;
    checkSections(file, header, dataStart, bytesOnDisk);
    const meta = await readVersioned(datasetMetaFormat, folder.metaFile);
    return { header, dataStart, meta, bytesOnDisk };
  } finally {
    await handle.close();
  }
}

/** The sections the header announces must be there, of the sizes its shape and count give: a cut file is named. */
function checkSections(file: string, header: DatasetHeader, dataStart: number, size: number): void {
  const sections = header.sections as Partial<DatasetHeader['sections']> | undefined;
  const count = header.count;
  const elementBytes = header.dtype === 'uint8' ? 1 : 4;
  const shape = Array.isArray(header.shape) ? header.shape : [];
  const expected: Record<'samples' | 'labels' | 'splits', number> = {
    samples: count * shape.reduce((a, b) => a * b, 1) * elementBytes,
    labels: count * 4,
    splits: count,
  };
  for (const name of ['samples', 'labels', 'splits'] as const) {
    const section = sections?.[name];
    if (!section || !Number.isSafeInteger(section.offset) || !Number.isSafeInteger(section.byteLength) || section.offset < 0 || section.byteLength < 0) {
      throw new LabError('corrupt-file', `${file}: field 'sections.${name}' of the header is missing or not a byte range`);
    }
    if (Number.isSafeInteger(expected[name]) && section.byteLength !== expected[name]) {
      throw new LabError('corrupt-file', `${file}: the ${name} section holds ${section.byteLength} bytes where the header's count and shape give ${expected[name]}`);
    }
    const end = dataStart + section.offset + section.byteLength;
    if (end > size) throw new LabError('corrupt-file', `${file}: the file is cut short — its ${name} end at byte ${end}, the file has ${size} bytes`);
  }
}

function summarize(id: string, { header, meta, bytesOnDisk }: Entry): DatasetSummary {
  return {
    id,
    name: meta.name,
    format: header.format,
    source: header.source,
    builtin: meta.builtin,
    shape: header.shape,
    kind: header.kind,
    dtype: header.dtype,
    scaling: header.transform.scaling,
    count: header.count,
    splits: header.stats.splits,
    classNames: header.classNames,
    classCounts: header.stats.classCounts,
    unlabeled: header.stats.unlabeled,
    factorNames: header.factorNames,
    bytesOnDisk,
    contentHash: header.contentHash,
    createdAt: header.createdAt,
  };
}

export function pickPreviewIndices(labels: Int32Array, splits: Uint8Array, classCount: number, count: number, split?: SplitName): Int32Array<ArrayBuffer> {
  const wanted = split === undefined ? undefined : splitCode[split];
  const queues: number[][] = Array.from({ length: Math.max(classCount, 0) + 1 }, () => []);
  const perQueue = Math.ceil(count / Math.max(1, classCount)) + 1;
  for (let i = 0; i < labels.length; i += 1) {
    if (wanted !== undefined && splits[i] !== wanted) continue;
    const label = labels[i] ?? -1;
    const queue = queues[label >= 0 && label < classCount ? label : classCount];
    if (queue && queue.length < perQueue * 2) queue.push(i);
  }
  const picked: number[] = [];
  for (let round = 0; picked.length < count; round += 1) {
    let any = false;
    for (const queue of queues) {
      const index = queue[round];
      if (index === undefined) continue;
      any = true;
      if (picked.length < count) picked.push(index);
    }
    if (!any) break;
  }
  return Int32Array.from(picked);
}
