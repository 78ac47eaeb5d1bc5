import { fitUmap, type FittedUmap } from './umapLayout.js';
import type { PlacedCode, UmapProgress, UmapSettings } from './umapSettings.js';

/** What the page asks of a UMAP worker: one fit, then any number of placements of codes into it. */
export type UmapRequest =
  | { kind: 'fit'; codes: Float32Array; count: number; size: number; settings: UmapSettings }
  | { kind: 'place'; id: number; code: Float32Array };

export type UmapReply =
  | ({ kind: 'progress' } & UmapProgress)
  | { kind: 'layout'; points: Float32Array }
  | { kind: 'failed'; message: string }
  | ({ kind: 'placed'; id: number } & PlacedCode);

/** The worker's side of the exchange; the same handler answers inline where no worker can run. */
export function umapService(post: (reply: UmapReply) => void): (request: UmapRequest) => void {
  let fitted: FittedUmap | null = null;
  return (request) => {
    try {
      if (request.kind === 'fit') {
        fitted = fitUmap(request.codes, request.count, request.size, request.settings, (progress) => post({ kind: 'progress', ...progress }));
        post({ kind: 'layout', points: fitted.embedding });
      } else if (fitted) post({ kind: 'placed', id: request.id, ...fitted.place(request.code) });
    } catch (error) {
      post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
}
