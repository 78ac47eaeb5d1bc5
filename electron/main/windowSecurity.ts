import { BrowserWindow, app, dialog, shell, type Session, type WebContents } from 'electron';
import { externalLink, isAppUrl } from './navigation.js';

/**
 * Every permission a page may ask for or probe (camera, microphone, notifications,
 * geolocation, HID, serial, USB, …) is refused: the lab needs none, and a page that is
 * not the lab's should get nothing by asking.
 */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** A link the renderer asked to open goes to the system browser only if it is on the list and the user says so. */
async function openOutside(contents: WebContents, url: string): Promise<void> {
  const link = externalLink(url);
  if ('refused' in link) return;
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: link.url,
  };
  const window = BrowserWindow.fromWebContents(contents);
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(link.url);
}

/**
 * The app's pages stay the app's: no new windows, no navigation, redirect or frame
 * navigation away from its origin, no webviews; in a release build no DevTools.
 */
export function guardContents(contents: WebContents, appOrigin: string): void {
  const outside = (url: string): void => void openOutside(contents, url).catch(() => undefined);
  contents.setWindowOpenHandler(({ url }) => {
    outside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, appOrigin)) return;
    event.preventDefault();
    outside(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
}
