/** Paints one sample's bytes (height × width × channels) onto a canvas of the same size. */
export function paintSample(canvas: HTMLCanvasElement, pixels: Uint8Array, height: number, width: number, channels: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  for (let p = 0; p < width * height; p += 1) {
    const o = p * 4;
    if (channels === 1) {
      const v = pixels[p] ?? 0;
      image.data[o] = v;
      image.data[o + 1] = v;
      image.data[o + 2] = v;
    } else {
      image.data[o] = pixels[p * channels] ?? 0;
      image.data[o + 1] = pixels[p * channels + 1] ?? 0;
      image.data[o + 2] = pixels[p * channels + 2] ?? 0;
    }
    image.data[o + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
