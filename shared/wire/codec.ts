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

export function encodeFrame(message: unknown): Uint8Array {
  const attachments: AnyTypedArray[] = [];
  let offset = 0;
  const json = JSON.stringify(message, (_key, value: unknown) => {
    const kind = kindOf(value);
    if (kind === undefined) return value;
    const array = value as AnyTypedArray;
    const placeholder: Placeholder = { $typed: kind, at: offset, length: array.length };
    attachments.push(array);
    offset = align8(offset + array.byteLength);
    return placeholder;
  });
  const jsonBytes = new TextEncoder().encode(json);
  const head = align8(4 + jsonBytes.length);
  const frame = new Uint8Array(head + offset);
  new DataView(frame.buffer).setUint32(0, jsonBytes.length, true);
  frame.set(jsonBytes, 4);
  let at = head;
  for (const array of attachments) {
    frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at = align8(at + array.byteLength);
  }
  return frame;
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('frame shorter than its header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) throw new Error('frame JSON length exceeds the frame');
  const json = new TextDecoder().decode(frame.subarray(4, 4 + jsonLength));
  const head = align8(4 + jsonLength);
  return JSON.parse(json, (_key, value: unknown) => {
    if (!isPlaceholder(value)) return value;
    const Kind = typedArrayKinds[value.$typed];
    const byteLength = value.length * Kind.BYTES_PER_ELEMENT;
    const start = head + value.at;
    if (start + byteLength > frame.byteLength) throw new Error('frame attachment exceeds the frame');
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
    v.$typed in typedArrayKinds &&
    typeof v.at === 'number' &&
    typeof v.length === 'number' &&
    Number.isInteger(v.at) &&
    Number.isInteger(v.length) &&
    v.at >= 0 &&
    v.length >= 0
  );
}
