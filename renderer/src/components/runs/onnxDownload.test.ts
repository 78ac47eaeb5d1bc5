import { describe, expect, it } from 'vitest';
import { onnxDownloads } from './onnxDownload.js';

describe('a run’s ONNX export as downloads', () => {
  it('saves each file under its own name, the models as bytes and the README as Markdown, copied off the reply', () => {
    const message = Uint8Array.from([9, 8, 8, 1, 2, 9]);
    const encoder = message.subarray(1, 3);
    const downloads = onnxDownloads({ opset: 17, files: [{ name: 'encoder.onnx', bytes: encoder }, { name: 'decoder.onnx', bytes: message.subarray(3, 5) }, { name: 'README.md', bytes: new TextEncoder().encode('# tiny AE\n') }] });
    expect(downloads.map((d) => [d.filename, d.type])).toEqual([
      ['encoder.onnx', 'application/octet-stream'],
      ['decoder.onnx', 'application/octet-stream'],
      ['README.md', 'text/markdown'],
    ]);
    const saved = downloads[0]?.content as Uint8Array;
    expect([...saved]).toEqual([8, 8]);
    // Only the file's bytes go into the Blob, not the message around them.
    expect(saved.buffer.byteLength).toBe(2);
    expect(new TextDecoder().decode(downloads[2]?.content as Uint8Array)).toBe('# tiny AE\n');
  });
});
