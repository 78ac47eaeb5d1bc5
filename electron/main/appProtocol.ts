import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { rendererFile } from './rendererPath.js';

export const appScheme = 'app';
export const appOrigin = `${appScheme}://lab`;

export const rendererCsp =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from app://lab/, never a file outside its folder, always with the CSP (errors too). */
export function serveRenderer(rendererDir: string): void {
  const secured = (headers: Headers): Headers => {
    headers.set('content-security-policy', rendererCsp);
    headers.set('x-content-type-options', 'nosniff');
    return headers;
  };
  protocol.handle(appScheme, async (request) => {
    const target = rendererFile(rendererDir, request.url);
    if (!('file' in target)) return new Response(target.message, { status: target.status, headers: secured(new Headers({ 'content-type': 'text/plain; charset=utf-8' })) });
    try {
      const response = await net.fetch(pathToFileURL(target.file).toString());
      return new Response(response.body, { status: response.status, headers: secured(new Headers(response.headers)) });
    } catch {
      return new Response('not found', { status: 404, headers: secured(new Headers({ 'content-type': 'text/plain; charset=utf-8' })) });
    }
  });
}
