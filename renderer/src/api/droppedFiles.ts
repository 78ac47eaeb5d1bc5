import type { UploadedFile } from '../../../shared/contract/labApi.js';

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: Array<{ path: string; file: File }>): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns entries in batches until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

/** Dropped files and folders as uploads, keeping each file's path below what was dropped. */
export async function uploadsFrom(items: Array<{ file: object; entry: object | null }>): Promise<UploadedFile[]> {
  const found: Array<{ path: string; file: File }> = [];
  for (const item of items) {
    const entry = item.entry as FileSystemEntry | null;
    const file = item.file as File;
    if (entry) await walk(entry, found);
    else found.push({ path: file.webkitRelativePath || file.name, file });
  }
  return Promise.all(found.map(async ({ path, file }) => ({ path, bytes: new Uint8Array(await file.arrayBuffer()) })));
}
