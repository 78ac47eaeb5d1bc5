import type { Page } from '@playwright/test';

/** One request to the lab over the page's own origin, framed as the browser host reads it (no binary attachments). */
export async function labRequest(page: Page, channel: string, payload: unknown): Promise<{ ok: boolean; value?: { id: string }; error?: { message: string } }> {
  return page.evaluate(
    async ({ channel, payload }) => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const socket = new WebSocket(`ws://${location.host}/lab?token=${encodeURIComponent(token)}`);
      socket.binaryType = 'arraybuffer';
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const json = new TextEncoder().encode(JSON.stringify({ kind: 'request', id: 1, channel, payload }));
      const frame = new Uint8Array((4 + json.length + 7) & ~7);
      new DataView(frame.buffer).setUint32(0, json.length, true);
      frame.set(json, 4);
      const reply = new Promise<{ ok: boolean; value?: { id: string }; error?: { message: string } }>((resolve) => {
        socket.onmessage = (event: MessageEvent<ArrayBuffer>) => {
          const length = new DataView(event.data).getUint32(0, true);
          const message = JSON.parse(new TextDecoder().decode(new Uint8Array(event.data, 4, length))) as { kind: string; id: number; result: never };
          if (message.kind === 'reply' && message.id === 1) resolve(message.result);
        };
      });
      socket.send(frame);
      const result = await reply;
      socket.close();
      return result;
    },
    { channel, payload },
  );
}
