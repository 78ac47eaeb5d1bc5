/*
 * Scripts the renderer benchmark runs inside the page. They are plain JavaScript strings: the
 * CLI's own compiled functions may reference helpers that do not exist in the page.
 */

/**
 * Moves the first latent slider from 0 to 1 in `moves` steps, one per 16 ms (a 60 Hz drag). For
 * each move: the time until a decode made at that position (or past it) is drawn on the canvas,
 * and until the next animation frame, which puts it on screen. Resolves to [drawn, frame] pairs
 * in milliseconds.
 */
export const sweepSliderScript = (moves: number): string => `(async () => {
  const moves = ${Math.floor(moves)};
  const slider = document.querySelector('[data-slider="0"]');
  const image = document.querySelector('[data-testid="decoded-image"]');
  if (!slider || !image) throw new Error('the latent explorer is not showing a run');
  const painted = [];
  const observer = new MutationObserver(() => {
    // The attribute changes in the same update that draws the canvas; the next frame shows both.
    const drawnAt = performance.now();
    const position = Number((image.dataset.position || '').split(' ')[0]);
    requestAnimationFrame(() => painted.push({ position, drawnAt, at: performance.now() }));
  });
  observer.observe(image, { attributes: true, attributeFilter: ['data-position'] });
  const moved = [];
  for (let i = 1; i <= moves; i += 1) {
    slider.value = String(i / moves);
    // The slider snaps to its step; what it holds is the position the lab decodes.
    const position = Number(Number(slider.value).toFixed(4));
    moved.push({ position, at: performance.now() });
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
  const deadline = performance.now() + 5000;
  while ((painted.length ? painted[painted.length - 1].position : 0) < 1 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return moved.map((move) => {
    const frame = painted.find((p) => p.drawnAt >= move.at && p.position >= move.position - 1e-9);
    return frame ? [frame.drawnAt - move.at, frame.at - move.at] : [1e9, 1e9];
  });
})()`;

/** Starts collecting main-thread tasks over 50 ms (Chromium's Long Tasks API). */
export const observeLongTasksScript = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); }).observe({ type: 'longtask' });
})()`;

export const readLongTasksScript = `window.__longTasks`;

/**
 * Moves the anomaly workbench's threshold slider across its range in `moves` steps, one per
 * 16 ms (a 60 Hz drag). For each move: the time until the confusion matrix (and, in the same
 * update, the ROC and histogram marks) changed in the page, and until the next animation frame,
 * which puts it on screen. Resolves to { pairs: [changed, frame] in milliseconds, or null for a
 * move that changed nothing, steps: the slider's positions }.
 */
export const sweepThresholdScript = (moves: number): string => `(async () => {
  const slider = document.querySelector('#anomaly-threshold');
  const box = document.querySelector('[data-testid="confusion"]');
  const roc = document.querySelector('[data-testid="roc-chart"]');
  if (!slider || !box || !roc) throw new Error('the anomaly workbench is not showing a result');
  const last = Number(slider.max);
  const moves = Math.min(${Math.floor(moves)}, last);
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const shown = () => box.textContent + '|' + roc.dataset.mark;
  // The drag starts from the lowest threshold, settled (the galleries follow a resting slider and
  // fetch their images), so that every move is a new operating point and nothing else is loading.
  slider.value = '0';
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  await wait(2000);
  let move = -1;
  let before = shown();
  const changed = [];
  const observer = new MutationObserver(() => {
    // Vue patches in a microtask after the input event, so this runs in the same task as the move that caused it.
    const now = shown();
    if (now === before) return;
    before = now;
    const index = move;
    const changedAt = performance.now();
    requestAnimationFrame(() => changed.push({ index, changedAt, at: performance.now() }));
  });
  observer.observe(box, { subtree: true, childList: true, characterData: true, attributes: true });
  observer.observe(roc, { attributes: true, attributeFilter: ['data-mark'] });
  const moved = [];
  for (let i = 1; i <= moves; i += 1) {
    move = i;
    slider.value = String(Math.round((i * last) / moves));
    moved.push({ index: i, at: performance.now() });
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await wait(16);
  }
  await wait(200);
  observer.disconnect();
  return {
    steps: last + 1,
    pairs: moved.map((m) => {
      const frame = changed.find((c) => c.index === m.index);
      return frame ? [frame.changedAt - m.at, frame.at - m.at] : null;
    }),
  };
})()`;
