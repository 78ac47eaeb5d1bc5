import { describe, expect, it } from 'vitest';
import { cleanErrors, withoutPaths } from './security.js';

describe('what leaves the browser host', () => {
  it('names workspace files within the workspace and shortens other absolute paths to their name', () => {
    const ws = '/home/ada/lab/ws';
    expect(withoutPaths(`${ws}/runs/20250101000000-abcdef/state.json: not valid JSON`, ws)).toBe('<workspace>/runs/20250101000000-abcdef/state.json: not valid JSON');
    expect(withoutPaths(`EROFS: read-only file system, open '${ws}/datasets/x/meta.json'`, ws)).toBe("EROFS: read-only file system, open '<workspace>/datasets/x/meta.json'");
    expect(withoutPaths(`${ws}2/other.json and ${ws}`, ws)).toBe('…/other.json and <workspace>');
    expect(withoutPaths('Cannot find module /opt/app/dist/engine/engineMain.js.', ws)).toBe('Cannot find module …/engineMain.js.');
    expect(withoutPaths('C:\\Users\\ada\\data\\x.png: not a PNG image', ws)).toBe('…/x.png: not a PNG image');
    expect(withoutPaths('shapes/circle/001.png: empty file; 12 samples/s; see https://github.com/x/y', ws)).toBe('shapes/circle/001.png: empty file; 12 samples/s; see https://github.com/x/y');
  });

  it('cleans errors wherever they sit in a reply or event, and leaves everything else as it is', () => {
    const pixels = new Uint8Array(4);
    const event = {
      importId: 'i',
      result: { ok: false, error: { code: 'io-error', message: '/w/a.json: gone', detail: '/w/b' } },
      run: { name: '/w/kept as named', error: '/w/c.json: bad' },
      progress: { phase: 'failed', message: '/w/d: cut' },
      other: { phase: 'reading', message: '/w/e' },
      pixels,
    };
    const cleaned = cleanErrors(event, (text) => text.replaceAll('/w', '<workspace>'));
    expect(cleaned).toEqual({
      importId: 'i',
      result: { ok: false, error: { code: 'io-error', message: '<workspace>/a.json: gone', detail: '<workspace>/b' } },
      run: { name: '/w/kept as named', error: '<workspace>/c.json: bad' },
      progress: { phase: 'failed', message: '<workspace>/d: cut' },
      other: { phase: 'reading', message: '/w/e' },
      pixels,
    });
    expect(cleaned.pixels).toBe(pixels);
    expect(event.result.error.message).toBe('/w/a.json: gone');
    const untouched = { list: [{ id: 'a' }] };
    expect(cleanErrors(untouched, () => 'x')).toBe(untouched);
  });
});
