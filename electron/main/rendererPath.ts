import { join, normalize, sep } from 'node:path';

export type RendererFile = { file: string } | { status: 400 | 404; message: string };

/**
 * The file of the built renderer an `app://lab/…` URL names. Only the lab host is served,
 * a path that climbs out of the renderer's folder is not found, and a malformed `%` escape
 * (`app://lab/%E0%A4%A`) is a bad request — answered, never thrown inside the protocol handler.
 */
export function rendererFile(rendererDir: string, requestUrl: string, host = 'lab'): RendererFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, message: 'not a URL' };
  }
  if (url.host !== host) return { status: 404, message: 'not found' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return { status: 400, message: 'malformed escape in the path' };
  }
  if (decoded.includes('\0')) return { status: 400, message: 'malformed path' };
  // No built asset has a backslash in its name; on Windows one would be a separator.
  if (decoded.includes('\\')) return { status: 404, message: 'not found' };
  const relative = normalize(decoded).replace(/^\/+/, '');
  const root = rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep;
  const file = join(rendererDir, relative);
  if (!file.startsWith(root)) return { status: 404, message: 'not found' };
  return { file };
}
