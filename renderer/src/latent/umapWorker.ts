import { umapService, type UmapReply, type UmapRequest } from './umapService.js';

/** UMAP off the main thread: a layout of thousands of codes takes seconds to tens of seconds. */
const handle = umapService((reply: UmapReply) => (self as unknown as Worker).postMessage(reply));
self.onmessage = (event: MessageEvent<UmapRequest>) => handle(event.data);
