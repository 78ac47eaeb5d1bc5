import type { z } from 'zod';
import { anomalyResultSchema, anomalySpecSchema } from './anomaly/anomalySpec.js';
import { evaluationResultSchema, evaluationSpecSchema } from './evaluation/evaluationSpec.js';
import { pcaSpecSchema, pcaSummarySchema } from './pca/pcaSpec.js';
import { principalAnglesResultSchema, principalAnglesSpecSchema } from './principalAngles/principalAnglesSpec.js';
import { probeResultSchema, probeSpecSchema } from './probe/probeSpec.js';
import { robustnessResultSchema, robustnessSpecSchema } from './robustness/robustnessSpec.js';

/** What every runtime knows of an analysis: its name, what it answers, and its spec's schema. */
export interface AnalysisDefinition {
  label: string;
  description: string;
  spec: z.ZodType<Record<string, unknown>>;
  /** What the job writes to its result.json. */
  result: z.ZodType<Record<string, unknown>>;
}

/**
 * The analyses, one line each. An analysis is a folder per runtime — its spec here, its
 * compute in electron/engine/analyses/, its view in renderer/src/analyses/ — and a line in
 * each runtime's registry (docs/ARCHITECTURE.md, "Add an analysis").
 */
export const analyses = {
  pca: { label: 'PCA', description: 'Principal components of the training split: explained variance and test error for every k.', spec: pcaSpecSchema, result: pcaSummarySchema },
  principalAngles: {
    label: 'Principal angles',
    description: "A linear autoencoder against PCA: the angles between its decoder's column space and PCA's top-d subspace, and the error gap.",
    spec: principalAnglesSpecSchema,
    result: principalAnglesResultSchema,
  },
  evaluation: {
    label: 'Evaluation',
    description: "A trained run's test metrics and diagnostics computed again from its best checkpoint, with this lab's evaluation.",
    spec: evaluationSpecSchema,
    result: evaluationResultSchema,
  },
  robustness: {
    label: 'Denoising robustness',
    description: 'Test error against the corruption applied at test time, one line per run, with PCA-k on the same noisy inputs.',
    spec: robustnessSpecSchema,
    result: robustnessResultSchema,
  },
  anomaly: {
    label: 'Anomaly detection',
    description: 'Runs trained on normal data only score every test sample; ROC, precision–recall and a threshold, with PCA-k beside them.',
    spec: anomalySpecSchema,
    result: anomalyResultSchema,
  },
  probe: {
    label: 'Pretrained encoders',
    description: "Classifiers trained on a few labels per class on a run's codes (frozen) or its fine-tuned encoder, against pixels, PCA and the same encoder from scratch: test accuracy against labels per class.",
    spec: probeSpecSchema,
    result: probeResultSchema,
  },
} satisfies Record<string, AnalysisDefinition>;

export type AnalysisId = keyof typeof analyses;
export const analysisIds = Object.keys(analyses) as AnalysisId[];
export const isAnalysisId = (id: string): id is AnalysisId => id in analyses;
