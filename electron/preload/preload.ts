import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { ipcEventChannel, ipcRequestChannel, type EventChannel, type RequestChannel } from '../../shared/contract/channels.js';
import type { LabApi } from '../../shared/contract/client.js';
import type { Result } from '../../shared/result.js';

/** Named functions only; ipcRenderer itself never reaches the page. Replies are checked in the renderer. */
const lab: LabApi = {
  request: (channel: RequestChannel, payload: unknown) => ipcRenderer.invoke(ipcRequestChannel(channel), payload) as Promise<Result<never>>,
  on: (channel: EventChannel, listener: (payload: never) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(ipcEventChannel(channel), forward);
    return () => void ipcRenderer.removeListener(ipcEventChannel(channel), forward);
  },
  importDropped: (importId, items, options) => {
    // Electron gives dropped files (and folders) their real paths: nothing is uploaded.
    const paths = items.map((item) => webUtils.getPathForFile(item.file as File)).filter((p) => p !== '');
    return ipcRenderer.invoke(ipcRequestChannel('datasets.importPaths'), { importId, paths, options }) as Promise<Result<never>>;
  },
};

contextBridge.exposeInMainWorld('lab', lab);
