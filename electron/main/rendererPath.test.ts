import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFile } from './rendererPath.js';

const root = join('/opt', 'lab', 'renderer');

describe('app:// URLs to renderer files', () => {
  it('maps the lab host to files under the renderer folder, / to index.html', () => {
    expect(rendererFile(root, 'app://lab/')).toEqual({ file: join(root, 'index.html') });
    expect(rendererFile(root, 'app://lab/assets/index-abc.js')).toEqual({ file: join(root, 'assets', 'index-abc.js') });
    expect(rendererFile(root, 'app://lab/assets/a%20b.css')).toEqual({ file: join(root, 'assets', 'a b.css') });
  });

  it('answers a malformed % escape with 400 instead of throwing', () => {
    expect(rendererFile(root, 'app://lab/%E0%A4%A')).toEqual({ status: 400, message: 'malformed escape in the path' });
    expect(rendererFile(root, 'app://lab/%')).toMatchObject({ status: 400 });
    expect(rendererFile(root, 'app://lab/x%00.js')).toMatchObject({ status: 400 });
  });

  it('never leaves the renderer folder, nor serves another host', () => {
    for (const url of ['app://lab/%2e%2e/%2e%2e/etc/passwd', 'app://lab/..%2f..%2fsecret', 'app://lab/a/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret', 'app://lab/%2e%2e%5csecret']) {
      const answer = rendererFile(root, url);
      if ('file' in answer) expect(answer.file.startsWith(`${root}/`)).toBe(true);
      else expect(answer.status).toBe(404);
    }
    expect(rendererFile(root, 'app://lab/%2e%2e%5csecret')).toMatchObject({ status: 404 });
    expect(rendererFile(root, 'app://other/index.html')).toMatchObject({ status: 404 });
  });
});
