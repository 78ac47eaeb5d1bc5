import type { JobProgress } from '../../../shared/domain/job.js';
import type { Tfjs } from '../backend.js';

/** What an analysis's compute is handed by the engine. */
export interface AnalysisContext {
  tf: Tfjs;
  workspace: string;
  jobId: string;
  progress(progress: JobProgress): void;
}

/**
 * An analysis's engine side: computes from its (already validated) spec and returns its
 * result, which the engine writes to the job's result.json through the analysis's result schema.
 */
export interface EngineAnalysis<Spec, Result> {
  run(context: AnalysisContext, spec: Spec): Promise<Result>;
}
