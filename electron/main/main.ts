import { BrowserWindow, Menu, app, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { projectRoot } from '../lab/appInfo.js';
import { Lab } from '../lab/lab.js';
import { resolveWorkspacePath } from '../format/workspace/workspacePath.js';
import { appOrigin, registerAppScheme, serveRenderer } from './appProtocol.js';
import { utilityEngineLauncher } from './engineLauncher.js';
import { registerLabHandlers } from './ipcHandlers.js';
import { buildMenu } from './menu.js';

function workspaceArgument(argv: string[]): string | undefined {
  const index = argv.indexOf('--workspace');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
}

registerAppScheme();
const root = projectRoot();
const lab = Lab.open({ workspace: resolveWorkspacePath(workspaceArgument(process.argv)), host: 'electron', launchEngine: utilityEngineLauncher(root) });
let mainWindow: BrowserWindow | undefined;

app.on('web-contents-created', (_event, contents) => {
  // The renderer never opens windows or navigates away; links to the web go to the OS browser.
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${appOrigin}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  serveRenderer(join(root, 'dist', 'renderer'));
  registerLabHandlers(ipcMain, lab, () => mainWindow?.webContents, appOrigin);
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Autoencoder Lab',
    show: false,
    webPreferences: {
      preload: join(root, 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  Menu.setApplicationMenu(buildMenu(lab, () => mainWindow));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  void mainWindow.loadURL(`${appOrigin}/index.html`);
  void lab.ensureBuiltins();
});

app.on('window-all-closed', () => app.quit());
// Engines die with the app; their runs are found interrupted (and resumable) next start.
app.on('will-quit', () => {
  lab.shutdown();
});
