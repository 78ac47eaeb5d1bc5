import type { ReplyOf } from '../../../../shared/contract/labApi.js';
import type { DownloadFile } from '../charts/download.js';

/** A run's ONNX export as the browser saves it: the two models, then the README that describes them. */
export function onnxDownloads(exported: ReplyOf<'runs.exportOnnx'>): DownloadFile[] {
  return exported.files.map((file) => ({
    filename: file.name,
    type: file.name.endsWith('.md') ? 'text/markdown' : 'application/octet-stream',
    // A copy on its own buffer: the reply's bytes may be a view into a larger message.
    content: new Uint8Array(file.bytes),
  }));
}
