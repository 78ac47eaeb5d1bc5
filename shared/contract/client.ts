import type { ImportOptionsInput } from '../domain/dataset.js';
import type { Result } from '../result.js';
import type { EventChannel, RequestChannel } from './channels.js';
import type { EventOf, ReplyOf, RequestOf } from './labApi.js';

/**
 * A file or folder the user dropped. Typed structurally because shared/ knows no DOM:
 * hosts treat `file` as a DOM File and `entry` as a FileSystemEntry (folders need it).
 */
export interface DroppedItem {
  file: object;
  entry: object | null;
}

/**
 * What the renderer is handed: the contract's requests and events, plus the one
 * operation whose mechanics differ by host (dropped files become paths in Electron,
 * uploads in a browser). The renderer never learns which host it runs under.
 */
export interface LabApi {
  request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ReplyOf<C>>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventOf<C>) => void): () => void;
  importDropped(
    importId: string,
    items: DroppedItem[],
    options?: ImportOptionsInput,
  ): Promise<Result<ReplyOf<'datasets.importPaths'>>>;
}
