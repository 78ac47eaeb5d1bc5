import { defineAsyncComponent, type Component } from 'vue';

/**
 * A component in a chunk of its own, fetched when the window loads rather than when first shown:
 * the chunks are small, and a view opened later does not depend on the build folder still holding
 * the files the window was served from.
 */
export function loadWithWindow(load: () => Promise<{ default: Component }>): Component {
  const loaded = load();
  return defineAsyncComponent(() => loaded);
}
