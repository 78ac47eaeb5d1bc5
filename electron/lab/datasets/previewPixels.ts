/** Maps stored values to 0–255 bytes for display, whatever the storage type and scaling. */
export function toDisplayBytes(values: Uint8Array | Float32Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  // Floats are shown over their own range so that any scaling stays visible.
  const span = high > low ? high - low : 1;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = Math.round((((values[i] ?? low) - low) / span) * 255);
  return out;
}
