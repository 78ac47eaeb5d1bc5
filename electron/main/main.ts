import { BrowserWindow, Menu, app, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { projectRoot } from '../lab/appInfo.js';
import { claimLab } from '../lab/owner/openWorkspace.js';
import { resolveWorkspacePath } from '../format/workspace/workspacePath.js';
import { appOrigin, registerAppScheme, serveRenderer } from './appProtocol.js';
import { utilityEngineLauncher } from './engineLauncher.js';
import { registerLabHandlers } from './ipcHandlers.js';
import { buildMenu } from './menu.js';
import { denyPermissions, guardContents } from './windowSecurity.js';

function workspaceArgument(argv: string[]): string | undefined {
  const index = argv.indexOf('--workspace');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
}

registerAppScheme();
const root = projectRoot();
// The app owns its workspace, or opens it read-only where another process does (the UI says which).
const workspace = claimLab({ workspace: resolveWorkspacePath(workspaceArgument(process.argv)), host: 'electron', launchEngine: utilityEngineLauncher(root) });
const { lab } = workspace;
let mainWindow: BrowserWindow | undefined;

// Windows, navigation, redirects, webviews and links out are guarded for every page the app makes.
app.on('web-contents-created', (_event, contents) => guardContents(contents, appOrigin));

void app.whenReady().then(() => {
  denyPermissions(session.defaultSession);
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
      // A release build has no DevTools: nothing to open by shortcut, menu or a page's request.
      devTools: !app.isPackaged,
    },
  });
  Menu.setApplicationMenu(buildMenu(lab, () => mainWindow, { release: app.isPackaged }));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  void mainWindow.loadURL(`${appOrigin}/index.html`);
  void lab.ensureBuiltins();
});

app.on('window-all-closed', () => app.quit());
// Engines die with the app; their runs are found interrupted (and resumable) next start.
app.on('will-quit', () => {
  lab.shutdown();
  void workspace.close();
});
