import { randomUUID } from 'node:crypto';
import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Lab } from '../lab/lab.js';

/** The File menu's imports report progress and results through the same events as a drop. */
async function importFromDialog(lab: Lab, window: BrowserWindow, kind: 'folder' | 'files'): Promise<void> {
  const picked = await dialog.showOpenDialog(window, {
    title: kind === 'folder' ? 'Import a folder of images' : 'Import dataset files',
    properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
    filters: kind === 'files' ? [{ name: 'Datasets', extensions: ['zip', 'gz', 'csv', 'tsv', 'npy', 'npz', 'png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'idx'] }, { name: 'All files', extensions: ['*'] }] : [],
  });
  if (picked.canceled || picked.filePaths.length === 0) return;
  await lab.dispatch('datasets.importPaths', { importId: randomUUID(), paths: picked.filePaths });
}

/** In a release build the View menu has no reload and no DevTools (the page is the app, not a site). */
export function buildMenu(lab: Lab, window: () => BrowserWindow | undefined, { release }: { release: boolean }): Menu {
  const onWindow = (action: (w: BrowserWindow) => void) => () => {
    const w = window();
    if (w) action(w);
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Import dataset folder…', accelerator: 'CmdOrCtrl+Shift+O', click: onWindow((w) => void importFromDialog(lab, w, 'folder')) },
        { label: 'Import dataset files…', accelerator: 'CmdOrCtrl+O', click: onWindow((w) => void importFromDialog(lab, w, 'files')) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    release
      ? { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] }
      : { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
