import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetPreview, DatasetSummary, SplitName } from '../../../shared/domain/dataset.js';
import { LabError } from '../../../shared/result.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { datasetMetaFormat, type DatasetMeta } from '../../format/datasets/datasetFormats.js';
import { readVersioned, writeVersioned } from '../../format/versionedFile.js';
import { writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { encodeDataset, readHeader, readSection, type DatasetHeader } from '../../format/datasets/binaryFormat.js';
import { sampleSize, splitCode, type DatasetData } from '../../format/datasets/datasetData.js';
import { toDisplayBytes } from './previewPixels.js';



interface Entry {
  header: DatasetHeader;
  dataStart: number;
  meta: DatasetMeta;
  bytesOnDisk: number;
}

/** The workspace's datasets: one folder each, an immutable data file and a small renamable meta file. */
export class DatasetStore {
  private readonly entries = new Map<string, Entry>();
  private loaded = false;

  constructor(private readonly root: string) {}

  async list(): Promise<DatasetSummary[]> {
    await this.load();
    return [...this.entries.entries()]
      .map(([id, entry]) => summarize(id, entry))
      .sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.createdAt.localeCompare(b.createdAt));
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

  /** Stores a dataset unless the same content is already here; says which happened. */
  async save(data: DatasetData, name: string, options: { builtin?: boolean; id?: string } = {}): Promise<{ summary: DatasetSummary; duplicateOf?: string }> {
    await this.load();
    const contentHash = hashContent(data);
    const existing = await this.findByHash(contentHash);
    if (existing) return { summary: existing, duplicateOf: existing.id };
    const id = options.id ?? this.newId(name);
    const folder = new DatasetFolder(this.root, id);
    await mkdir(folder.dir, { recursive: true });
    const meta: DatasetMeta = { name, builtin: options.builtin ?? false };
    await writeFileAtomic(folder.dataFile, encodeDataset(data, contentHash, new Date().toISOString()));
    await writeVersioned(datasetMetaFormat, folder.metaFile, meta);
    this.entries.set(id, await readEntry(folder));
    return { summary: await this.get(id) };
  }

  async rename(id: string, name: string): Promise<DatasetSummary> {
    const entry = await this.entry(id);
    entry.meta = { ...entry.meta, name };
    await writeVersioned(datasetMetaFormat, new DatasetFolder(this.root, id).metaFile, entry.meta);
    return summarize(id, entry);
  }

  async delete(id: string): Promise<void> {
    await this.entry(id);
    // Rename first so a half-deleted folder is never mistaken for a dataset.
    const doomed = join(this.root, `.deleted-${id}-${randomBytes(4).toString('hex')}`);
    await rename(new DatasetFolder(this.root, id).dir, doomed);
    this.entries.delete(id);
    await rm(doomed, { recursive: true, force: true });
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
    if (!entry) throw new LabError('not-found', `No dataset with id '${id}' in this workspace`);
    return entry;
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    await mkdir(this.root, { recursive: true });
    for (const name of await readdir(this.root)) {
      if (name.startsWith('.')) continue;
      try {
        this.entries.set(name, await readEntry(new DatasetFolder(this.root, name)));
      } catch {
        // A folder without a readable dataset (e.g. an interrupted first save) is not listed.
      }
    }
    this.loaded = true;
  }

  private newId(name: string): string {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
    let id = slug;
    while (this.entries.has(id)) id = `${slug}-${randomBytes(3).toString('hex')}`;
    return id;
  }
}

async function readEntry(folder: DatasetFolder): Promise<Entry> {
  const file = folder.dataFile;
  const handle = await open(file, 'r');
  try {
    const { header, dataStart } = await readHeader(handle, file);
    const meta = await readVersioned(datasetMetaFormat, folder.metaFile);
    return { header, dataStart, meta, bytesOnDisk: (await stat(file)).size };
  } finally {
    await handle.close();
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

/** Identity of the content, independent of name, source path or split. */
export function hashContent(data: DatasetData): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ shape: data.shape, classNames: data.classNames, dtype: data.samples.constructor.name }));
  hash.update(new Uint8Array(data.samples.buffer, data.samples.byteOffset, data.samples.byteLength));
  hash.update(new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength));
  return hash.digest('hex');
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
