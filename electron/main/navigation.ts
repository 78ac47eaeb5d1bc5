/**
 * What the app's windows may load and open. Pure rules, kept apart from Electron so they
 * can be tested; `windowSecurity.ts` applies them.
 */

/** Sites a link in the app may open in the system browser (documentation, papers, the project). */
export const externalHosts: readonly string[] = ['github.com', 'www.tensorflow.org', 'js.tensorflow.org', 'arxiv.org'];

/** Whether a window may navigate (or be redirected) to `url`: only to the app's own pages. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === appOrigin && url.startsWith(`${appOrigin}/`);
  } catch {
    return false;
  }
}

/**
 * A link the system browser may open after the user confirms it: https, no credentials,
 * the default port, a host on the list. The URL as it will be opened, or why not.
 */
export function externalLink(url: string, hosts: readonly string[] = externalHosts): { url: string } | { refused: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { refused: 'not a URL' };
  }
  if (parsed.protocol !== 'https:') return { refused: `only https links open outside the app (this one is ${parsed.protocol})` };
  if (parsed.username !== '' || parsed.password !== '') return { refused: 'a link with a user name or password in it' };
  if (parsed.port !== '') return { refused: `a link to port ${parsed.port}` };
  if (!hosts.includes(parsed.hostname)) return { refused: `${parsed.hostname} is not one of the sites the app links to` };
  return { url: parsed.href };
}
