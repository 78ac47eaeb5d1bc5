/**
 * One WebSocket frame per message: JSON for structure, typed arrays appended as raw
 * bytes so images and tensors never become JSON arrays of numbers.
 * Layout: u32 JSON byte length | JSON | padding to 8 | attachments, each 8-aligned.
 */

const typedArrayKinds = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;

type TypedArrayKind = keyof typeof typedArrayKinds;
type AnyTypedArray = InstanceType<(typeof typedArrayKinds)[TypedArrayKind]>;

interface Placeholder {
  $typed: TypedArrayKind;
  at: number;
  length: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

function kindOf(value: unknown): TypedArrayKind | undefined {
  for (const kind of Object.keys(typedArrayKinds) as TypedArrayKind[]) {
    if (value instanceof typedArrayKinds[kind]) return kind;
  }
  return undefined;
}

/**
 * A message laid out as a frame without the frame being built: the head (length, JSON,
 * padding) and the attachments with their offsets. A large upload is sent in slices of
 * this layout, so its bytes are never copied into one frame-sized buffer.
 */
export interface FrameLayout {
  head: Uint8Array;
  attachments: Array<{ at: number; bytes: Uint8Array }>;
  byteLength: number;
}

export function frameLayout(message: unknown): FrameLayout {
  const found: AnyTypedArray[] = [];
  let offset = 0;
  // The holder's own value, not `value`: JSON.stringify has already replaced a Node Buffer
  // (a Uint8Array) by its toJSON() object of numbers by the time the replacer sees it.
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    const kind = kindOf(original);
    if (kind === undefined) return value;
    const array = original as AnyTypedArray;
    const placeholder: Placeholder = { $typed: kind, at: offset, length: array.length };
    found.push(array);
    offset = align8(offset + array.byteLength);
    return placeholder;
  });
  const jsonBytes = new TextEncoder().encode(json);
  const headLength = align8(4 + jsonBytes.length);
  const head = new Uint8Array(headLength);
  new DataView(head.buffer).setUint32(0, jsonBytes.length, true);
  head.set(jsonBytes, 4);
  const attachments: FrameLayout['attachments'] = [];
  let at = headLength;
  for (const array of found) {
    attachments.push({ at, bytes: new Uint8Array(array.buffer, array.byteOffset, array.byteLength) });
    at = align8(at + array.byteLength);
  }
  return { head, attachments, byteLength: headLength + offset };
}

/** Bytes [start, end) of the frame a layout describes (padding is zeros). */
export function frameSlice(layout: FrameLayout, start: number, end: number): Uint8Array {
  const slice = new Uint8Array(Math.max(0, Math.min(end, layout.byteLength) - start));
  const copy = (bytes: Uint8Array, at: number): void => {
    const from = Math.max(start, at);
    const to = Math.min(start + slice.length, at + bytes.length);
    if (from < to) slice.set(bytes.subarray(from - at, to - at), from - start);
  };
  copy(layout.head, 0);
  for (const { at, bytes } of layout.attachments) {
    if (at >= start + slice.length) break;
    copy(bytes, at);
  }
  return slice;
}

export function encodeFrame(message: unknown): Uint8Array {
  const layout = frameLayout(message);
  return frameSlice(layout, 0, layout.byteLength);
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) throw new Error('frame JSON length exceeds the frame');
  const json = new TextDecoder().decode(frame.subarray(4, 4 + jsonLength));
  const head = align8(4 + jsonLength);
  // An encoder gives every attachment its own bytes; a placeholder naming bytes another one
  // already took is refused before anything is copied, so a small frame cannot make the
  // decoder copy its attachments over and over (what it copies is at most the frame's size).
  const taken = new Set<number>();
  let copied = 0;
  return JSON.parse(json, (_key, value: unknown) => {
    if (!isPlaceholder(value)) return value;
    const Kind = typedArrayKinds[value.$typed];
    const byteLength = value.length * Kind.BYTES_PER_ELEMENT;
    const start = head + value.at;
    if (start + byteLength > frame.byteLength) throw new Error('frame attachment exceeds the frame');
    if (byteLength > 0) {
      if (taken.has(value.at)) throw new Error(`frame attachment at ${value.at} is referenced more than once`);
      taken.add(value.at);
    }
    copied += byteLength;
    if (copied > frame.byteLength - head) throw new Error('frame attachments overlap');
    // Copy so the typed array is aligned and owns its memory.
    const copy = new Uint8Array(byteLength);
    copy.set(frame.subarray(start, start + byteLength));
    return new Kind(copy.buffer);
  });
}

function isPlaceholder(value: unknown): value is Placeholder {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.$typed === 'string' &&
    Object.hasOwn(typedArrayKinds, v.$typed) &&
    typeof v.at === 'number' &&
    typeof v.length === 'number' &&
    Number.isInteger(v.at) &&
    Number.isInteger(v.length) &&
    v.at >= 0 &&
    v.length >= 0
  );
}
