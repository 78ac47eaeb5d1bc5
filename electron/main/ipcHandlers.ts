import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannels, ipcEventChannel, ipcRequestChannel, requestChannels } from '../../shared/contract/channels.js';
import type { Lab } from '../lab/lab.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Registers one handler per contract request (validated inside `lab.dispatch`) and forwards
 * lab events to the window; returns a disposer. Only frames of the lab's own app origin are answered.
 */
export function registerLabHandlers(ipc: IpcMainLike, lab: Lab, target: () => WebContents | undefined, trustedOrigin: string): () => void {
  for (const channel of requestChannels) {
    ipc.handle(ipcRequestChannel(channel), async (event, payload) => {
      const origin = event.senderFrame?.origin;
      if (origin !== trustedOrigin) return { ok: false, error: { code: 'invalid-request', message: `request from an untrusted frame (${origin ?? 'unknown'})` } };
      return lab.dispatch(channel, payload);
    });
  }
  const unsubscribe = lab.on((channel, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed() && (eventChannels as readonly string[]).includes(channel)) contents.send(ipcEventChannel(channel), payload);
  });
  return () => {
    unsubscribe();
    for (const channel of requestChannels) ipc.removeHandler(ipcRequestChannel(channel));
  };
}
