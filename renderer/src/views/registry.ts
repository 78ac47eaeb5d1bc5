import type { Component } from 'vue';
import { loadWithWindow } from '../components/loadWithWindow.js';

export interface ViewDefinition {
  id: string;
  label: string;
  component: Component;
}

/** The lab's views, one line each: their order is the navigation's and the shortcuts' (Alt+1 is the first). */
export const views = [
  { id: 'datasets', label: 'Datasets', component: loadWithWindow(() => import('./DatasetsView.vue')) },
  { id: 'runs', label: 'Runs', component: loadWithWindow(() => import('./RunsView.vue')) },
  { id: 'compare', label: 'Compare', component: loadWithWindow(() => import('./CompareView.vue')) },
  { id: 'latent', label: 'Latent', component: loadWithWindow(() => import('./LatentView.vue')) },
  { id: 'analyses', label: 'Analyses', component: loadWithWindow(() => import('./AnalysesView.vue')) },
] as const satisfies readonly ViewDefinition[];

type View = (typeof views)[number];
export type ViewId = View['id'];

export const viewOf = (id: ViewId): View => views.find((v) => v.id === id) ?? views[0];

/** The view Alt+N opens, N = 1…9. */
export const viewAtShortcut = (key: string): View | undefined => (/^[1-9]$/.test(key) ? views[Number(key) - 1] : undefined);
