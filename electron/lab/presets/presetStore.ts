import { makeFolder } from '../../format/workspace/writeFailure.js';
import { dirname } from 'node:path';
import { z } from 'zod';
import { lecturePresets } from '../../../shared/catalogue/lecturePresets.js';
import { presetSchema, type Preset, type PresetVariant } from '../../../shared/domain/preset.js';
import { LabError } from '../../../shared/result.js';
import { defineFormat, readVersionedIfPresent, writeVersioned } from '../../format/versionedFile.js';

// Files from before the version was stamped as `formatVersion` said `version: 1`; the schema drops it.
const savedPresetsFormat = defineFormat('saved configurations', 1, z.object({ presets: z.array(presetSchema) }));

/** A saved configuration's id from its name, so saving under the same name replaces it. */
export function savedPresetId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `saved-${slug || 'configuration'}`;
}

/**
 * Saved run configurations, one JSON file in the workspace, beside the lecture's built-in ones.
 * A file that cannot be read is reported by name and never overwritten: saving then fails rather
 * than dropping what the user kept.
 */
export class PresetStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async list(): Promise<Preset[]> {
    return [...lecturePresets, ...(await this.readSaved())];
  }

  save(name: string, description: string, variants: PresetVariant[]): Promise<Preset> {
    return this.serialised(async () => {
      const parsed = presetSchema.safeParse({ id: savedPresetId(name), name, description, builtIn: false, variants });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new LabError('invalid-request', `configuration '${name}': ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid'}`);
      }
      const preset = parsed.data;
      const saved = (await this.readSaved()).filter((p) => p.id !== preset.id);
      await this.write([...saved, preset]);
      return preset;
    });
  }

  delete(id: string): Promise<void> {
    return this.serialised(async () => {
      if (lecturePresets.some((p) => p.id === id)) throw new LabError('invalid-request', `'${id}' is one of the lecture's built-in configurations and cannot be deleted`);
      const saved = await this.readSaved();
      if (!saved.some((p) => p.id === id)) throw new LabError('not-found', `no saved configuration '${id}'`);
      await this.write(saved.filter((p) => p.id !== id));
    });
  }

  private async readSaved(): Promise<Preset[]> {
    let saved: { presets: Preset[] } | null;
    try {
      saved = await readVersionedIfPresent(savedPresetsFormat, this.file);
    } catch (cause) {
      if (cause instanceof LabError) throw new LabError(cause.code, `${cause.message}; fix or move the file, the saved configurations are in it`);
      throw new LabError('io-error', `${this.file}: cannot be read (${(cause as Error).message})`);
    }
    return saved?.presets ?? [];
  }

  private async write(presets: Preset[]): Promise<void> {
    await makeFolder(dirname(this.file));
    await writeVersioned(savedPresetsFormat, this.file, { presets });
  }

  // Two saves at once must not each read the old list and drop the other's entry.
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
