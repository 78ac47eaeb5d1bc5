/** Saves a data URL under a file name, as a link with `download` would. */
export function download(filename: string, href: string): void {
  if (href === '') return;
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
}

/** A file made in the page, as a browser saves it. */
export interface DownloadFile {
  filename: string;
  type: string;
  content: string | Uint8Array<ArrayBuffer>;
}

/** Saves each file as a download of its own, side by side in the user's downloads folder. */
export function downloadFiles(files: readonly DownloadFile[]): void {
  for (const file of files) {
    const url = URL.createObjectURL(new Blob([file.content], { type: file.type }));
    download(file.filename, url);
    // The browser has taken the file once the click is handled; the URL is let go a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export const csvDataUrl = (text: string): string => `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`;

/** Charts side by side in one PNG, on the panel's background. */
export function composedPng(canvases: Array<HTMLCanvasElement | null | undefined>): string {
  const drawn = canvases.filter((c): c is HTMLCanvasElement => c instanceof HTMLCanvasElement);
  const gap = 16;
  const out = document.createElement('canvas');
  out.width = drawn.reduce((w, c) => w + c.width, 0) + gap * Math.max(0, drawn.length - 1);
  out.height = Math.max(0, ...drawn.map((c) => c.height));
  const context = out.getContext('2d');
  if (!context || drawn.length === 0) return '';
  context.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--panel').trim() || '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  let x = 0;
  for (const canvas of drawn) {
    context.drawImage(canvas, x, 0);
    x += canvas.width + gap;
  }
  return out.toDataURL('image/png');
}
