import type { PartMessage } from '../../shared/wire/messages.js';
import { formatBytes } from '../../shared/format.js';
import { LabError } from '../../shared/result.js';

interface Assembly {
  total: number;
  received: number;
  chunks: Uint8Array[];
}

/**
 * The requests of one connection that arrive in parts, put back together. Memory follows
 * what has actually arrived (a part announcing a huge total allocates nothing up front),
 * and everything a connection holds at once is bounded by `maxBufferedBytes`.
 */
export class RequestParts {
  private readonly open = new Map<number, Assembly>();
  private buffered = 0;

  constructor(private readonly maxBufferedBytes: number) {}

  /** Adds one part: how many bytes of its request have arrived, and the whole frame once the last one has. */
  add(part: PartMessage): { received: number; total: number; frame?: Uint8Array } {
    const assembly = this.open.get(part.id) ?? { total: part.total, received: 0, chunks: [] };
    const end = part.at + part.bytes.length;
    const fault =
      part.total !== assembly.total
        ? `its total of ${part.total} bytes differs from the ${assembly.total} announced first`
        : part.at !== assembly.received
          ? `it starts at byte ${part.at}, but ${assembly.received} bytes have arrived`
          : part.bytes.length === 0
            ? 'it is empty'
            : end > part.total
              ? `it ends at byte ${end}, beyond the request's ${part.total} bytes`
              : this.buffered + part.bytes.length > this.maxBufferedBytes
                ? `the connection would hold more than ${formatBytes(this.maxBufferedBytes)} of unfinished requests`
                : undefined;
    if (fault !== undefined) {
      this.drop(part.id);
      throw new LabError(fault.startsWith('the connection') ? 'too-large' : 'invalid-request', `part of request ${part.id} refused: ${fault}`);
    }
    // A part's bytes are a view into the WebSocket's receive buffer; keep a copy of our own.
    assembly.chunks.push(part.bytes.slice());
    assembly.received = end;
    this.buffered += part.bytes.length;
    this.open.set(part.id, assembly);
    if (end < assembly.total) return { received: end, total: assembly.total };
    this.drop(part.id);
    const frame = new Uint8Array(assembly.total);
    let at = 0;
    for (const chunk of assembly.chunks.splice(0)) {
      frame.set(chunk, at);
      at += chunk.length;
    }
    return { received: end, total: assembly.total, frame };
  }

  /** Whether request `id` is being assembled (its frame must not also come whole). */
  has(id: number): boolean {
    return this.open.has(id);
  }

  drop(id: number): void {
    const assembly = this.open.get(id);
    if (!assembly) return;
    this.buffered -= assembly.received;
    this.open.delete(id);
  }
}
