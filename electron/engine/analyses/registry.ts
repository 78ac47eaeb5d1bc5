import type { z } from 'zod';
import type { analyses, AnalysisId } from '../../../shared/analyses/registry.js';
import type { EngineAnalysis } from './analysis.js';
import { anomalyAnalysis } from './anomaly/anomalyAnalysis.js';
import { evaluationAnalysis } from './evaluation/evaluationAnalysis.js';
import { pcaAnalysis } from './pca/pcaAnalysis.js';
import { principalAnglesAnalysis } from './principalAngles/principalAnglesAnalysis.js';
import { probeAnalysis } from './probe/probeAnalysis.js';
import { robustnessAnalysis } from './robustness/robustnessAnalysis.js';

type Spec<K extends AnalysisId> = z.output<(typeof analyses)[K]['spec']>;
type Result<K extends AnalysisId> = z.output<(typeof analyses)[K]['result']>;

/** The engine side of each analysis, one line each; the keys are the shared registry's. */
export const engineAnalyses: { [K in AnalysisId]: EngineAnalysis<Spec<K>, Result<K>> } = {
  pca: pcaAnalysis,
  principalAngles: principalAnglesAnalysis,
  evaluation: evaluationAnalysis,
  robustness: robustnessAnalysis,
  anomaly: anomalyAnalysis,
  probe: probeAnalysis,
};
