import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenCookie = 'aelab_token';

export function sameToken(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Host names the loopback server answers to; anything else (DNS rebinding) is refused. */
export function allowedHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function allowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === tokenCookie) return value.join('=');
  }
  return undefined;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every HTTP response of the host, errors included: a 404 page is a page too. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(port),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

const absolutePath = /(?<=^|[\s'"`(<[=,])(?:\/|[A-Za-z]:\\)[^\s'"`()<>[\]]+/g;

/**
 * A message with the lab's filesystem layout taken out, for a browser: the workspace's own
 * files keep their place in it (`<workspace>/runs/…/state.json`, what a user can act on),
 * any other absolute path is shortened to its last name.
 */
export function withoutPaths(message: string, workspace: string): string {
  const root = workspace.replace(/[/\\]+$/, '');
  const inWorkspace = root === '' ? message : message.replace(new RegExp(`${root.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(?![\\w.-])`, 'g'), '<workspace>');
  return inWorkspace.replace(absolutePath, (path) => {
    const trail = /[:.,;]+$/.exec(path)?.[0] ?? '';
    const bare = path.slice(0, path.length - trail.length);
    const name = bare.split(/[/\\]/).filter((part) => part !== '').at(-1);
    return `${name === undefined ? '…' : `…/${name}`}${trail}`;
  });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !ArrayBuffer.isView(value);

/**
 * A reply or event with every error in it (an `error` string, an error's message and detail,
 * a failed import's progress message) passed through `clean`; other fields are left alone,
 * and nothing is copied where nothing changed.
 */
export function cleanErrors<T>(value: T, clean: (text: string) => string): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const mapped = node.map(walk);
      return mapped.some((item, i) => item !== node[i]) ? mapped : node;
    }
    if (!isPlainObject(node)) return node;
    let changed: Record<string, unknown> | undefined;
    const set = (key: string, next: unknown): void => {
      if (next === node[key]) return;
      changed ??= { ...node };
      changed[key] = next;
    };
    for (const [key, child] of Object.entries(node)) {
      if (key === 'error' && typeof child === 'string') set(key, clean(child));
      else if (key === 'error' && isPlainObject(child)) {
        const error = { ...child };
        if (typeof error.message === 'string') error.message = clean(error.message);
        if (typeof error.detail === 'string') error.detail = clean(error.detail);
        set(key, error.message === child.message && error.detail === child.detail ? child : error);
      } else if (key === 'message' && node.phase === 'failed' && typeof child === 'string') set(key, clean(child));
      else set(key, walk(child));
    }
    return changed ?? node;
  };
  return walk(value) as T;
}
