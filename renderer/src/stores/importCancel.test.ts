import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import { FakeLab, ok, useFakeLab } from '../testing/fakeLab.js';
import { useDatasetsStore } from './datasets.js';

/** An import that runs until it is cancelled, then fails as the lab says a cancelled import does. */
class CancellableImportLab extends FakeLab {
  private finish: ((cancelled: boolean) => void) | undefined;
  answerCancel = true;

  protected answer(channel: RequestChannel, payload: unknown) {
    if (channel !== 'datasets.cancelImport') return undefined;
    const { importId } = payload as { importId: string };
    if (this.answerCancel) this.finish?.(true);
    return ok({ importId, cancelled: this.answerCancel });
  }

  override importDropped: LabApi['importDropped'] = (importId) => {
    this.emit('datasets.importProgress', { importId, phase: 'decoding', done: 3, total: 100, message: 'Decoded 3 of 100 images' });
    return new Promise((resolve) => {
      this.finish = () => resolve({ ok: false, error: { code: 'cancelled', message: 'The import was cancelled; nothing was stored' } });
    });
  };
}

const lab = useFakeLab(() => new CancellableImportLab());

describe('cancelling an import', () => {
  it('asks the lab to cancel by import id, shows it cancelling, and ends as cancelled', async () => {
    const store = useDatasetsStore();
    const importing = store.importDropped([], 'big folder');
    const state = store.imports[0];
    expect(state?.progress?.done).toBe(3);
    const cancelling = store.cancelImport(state?.importId ?? '');
    expect(store.imports[0]?.cancelling).toBe(true);
    await cancelling;
    await importing;
    expect(lab().requestsTo('datasets.cancelImport')).toEqual([{ importId: state?.importId }]);
    expect(store.imports[0]?.error).toEqual({ code: 'cancelled', message: 'The import was cancelled; nothing was stored' });
  });

  it('shows the import running again when the lab could no longer cancel it', async () => {
    lab().answerCancel = false;
    const store = useDatasetsStore();
    void store.importDropped([], 'big folder');
    await store.cancelImport(store.imports[0]?.importId ?? '');
    expect(store.imports[0]?.cancelling).toBe(false);
    expect(store.imports[0]?.error).toBeNull();
  });
});
