import { Chart, type Plugin } from 'chart.js';

const cssVar = (name: string, fallback: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
const dark = (): boolean => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** Series colours that read on the panel's background, light or dark. */
export function seriesColors(): string[] {
  return dark() ? ['#6f9ef0', '#f0a35e', '#4fc79a', '#f07a84', '#b48cf0', '#aab3c0', '#e3c75a', '#5fc6d8'] : ['#2f6fde', '#d9822b', '#1d9e74', '#c62f3b', '#8e5bd6', '#6c757d', '#b8962e', '#2a9bb0'];
}

/** The colour of a baseline drawn under the series (PCA's curves). */
export const baselineColor = (): string => cssVar('--text', '#1d2330');

// Exported PNGs keep the panel's background: a transparent one loses dark mode's light text in any viewer.
const panelBackground: Plugin = {
  id: 'panelBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = cssVar('--panel', '#ffffff');
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

function applyColors(): void {
  Chart.defaults.color = cssVar('--muted', '#5e6878');
  Chart.defaults.borderColor = cssVar('--line', '#d9dee6');
}

const redraws = new Set<() => void>();

/** Calls `redraw` when the system switches between light and dark; a drawn chart keeps the colours it was made with. */
export function onColorSchemeChange(redraw: () => void): () => void {
  redraws.add(redraw);
  return () => redraws.delete(redraw);
}

/** Every chart of the renderer in the page's colours, following the system's light or dark scheme. */
export function installChartTheme(): void {
  Chart.register(panelBackground);
  applyColors();
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    applyColors();
    for (const redraw of redraws) redraw();
  });
}
