/**
 * What a reload or a shared link restores, kept in the URL's hash: the open view, the selected
 * dataset and run, the runs compared and the runs open in the latent explorer. The hash only:
 * the browser host's access token is in the query, and the hash never reaches a server.
 *
 *   #view=compare&dataset=shapes&run=20260101120000-abc123&compare=<id>,<id>&latent=<id>
 *
 * Anything that does not look like what it names is dropped while parsing; whether an id is
 * still in the workspace is for the code that applies the state (a stale id is ignored there).
 */
export interface UrlState {
  view?: string;
  dataset?: string;
  run?: string;
  compare?: string[];
  latent?: string[];
}

/** Where the state is read and written: the window in the app, a stand-in in tests. */
export interface UrlHost {
  location: { readonly pathname: string; readonly search: string; readonly hash: string };
  history: { readonly state: unknown; replaceState(data: unknown, unused: string, url: string): void };
}

const viewPattern = /^[a-z][a-zA-Z]{0,30}$/;
const datasetPattern = /^[a-z0-9][a-z0-9-]{0,80}$/;
const runPattern = /^[0-9]{14}-[0-9a-f]{6}$/;
/** More runs than any view shows are not kept (Compare takes six, the explorer three). */
const maxListed = 6;

const order: ReadonlyArray<keyof UrlState> = ['view', 'dataset', 'run', 'compare', 'latent'];

function runList(text: string | null): string[] | undefined {
  if (text === null) return undefined;
  const ids = [...new Set(text.split(',').filter((id) => runPattern.test(id)))].slice(0, maxListed);
  return ids.length > 0 ? ids : undefined;
}

const single = (text: string | null, pattern: RegExp): string | undefined => (text !== null && pattern.test(text) ? text : undefined);

export function parseHash(hash: string): UrlState {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(hash.replace(/^#/, ''));
  } catch {
    return {};
  }
  const state: UrlState = {
    view: single(params.get('view'), viewPattern),
    dataset: single(params.get('dataset'), datasetPattern),
    run: single(params.get('run'), runPattern),
    compare: runList(params.get('compare')),
    latent: runList(params.get('latent')),
  };
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as UrlState;
}

/** The hash for a state: '' when there is nothing to keep. Ids need no escaping (their patterns say so). */
export function formatHash(state: UrlState): string {
  const parts: string[] = [];
  for (const key of order) {
    const value = state[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    parts.push(`${key}=${Array.isArray(value) ? value.join(',') : encodeURIComponent(value)}`);
  }
  return parts.length > 0 ? `#${parts.join('&')}` : '';
}

export function readUrlState(host: UrlHost): UrlState {
  return parseHash(host.location.hash);
}

/**
 * Changes some fields of the state in the URL (undefined or an empty list removes one) without
 * a navigation or a history entry: going back leaves the lab rather than stepping through clicks.
 */
export function writeUrlState(host: UrlHost, change: Partial<Record<keyof UrlState, string | string[] | null | undefined>>): void {
  const state: Record<string, unknown> = { ...readUrlState(host) };
  for (const [key, value] of Object.entries(change)) {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) delete state[key];
    else state[key] = value;
  }
  // What is written is read back through the parser, so a malformed id never reaches the URL.
  const hash = formatHash(parseHash(formatHash(state as UrlState)));
  if (hash === host.location.hash || (hash === '' && host.location.hash === '#')) return;
  host.history.replaceState(host.history.state, '', `${host.location.pathname}${host.location.search}${hash}`);
}
