import type { Component } from 'vue';
import { analyses, type AnalysisId } from '../../../shared/analyses/registry.js';
import { loadWithWindow } from '../components/loadWithWindow.js';

/** A panel of the Analyses view: every analysis of shared/analyses/registry.ts, and a sweep's results. */
export type PanelId = AnalysisId | 'sweep';

/** Each panel's view, one line each, in the order of the view's tabs; null: the analysis is shown elsewhere, not as a panel. */
export const analysisViews = {
  pca: loadWithWindow(() => import('./pca/PcaPanel.vue')),
  sweep: loadWithWindow(() => import('./sweep/SweepPanel.vue')),
  principalAngles: loadWithWindow(() => import('./principalAngles/PrincipalAnglesPanel.vue')),
  robustness: loadWithWindow(() => import('./robustness/RobustnessPanel.vue')),
  anomaly: loadWithWindow(() => import('./anomaly/AnomalyPanel.vue')),
  probe: loadWithWindow(() => import('./probe/ProbePanel.vue')),
  // A run's evaluation belongs on its run page.
  evaluation: null,
} satisfies Record<PanelId, Component | null>;

// Sweeps are jobs of their own kind, not analyses, so their panel is named here.
const sweepPanel = { label: 'Sweep results', description: 'The same configuration trained at several values of one or more fields: test error against each, with PCA beside it.' };

export const panels = (Object.keys(analysisViews) as PanelId[]).flatMap((id) => {
  const component: Component | null = analysisViews[id];
  return component ? [{ id, ...(id === 'sweep' ? sweepPanel : analyses[id]), component }] : [];
});

export const hasPanel = (id: string): id is PanelId => panels.some((p) => p.id === id);
