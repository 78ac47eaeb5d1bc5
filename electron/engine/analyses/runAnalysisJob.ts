import { analyses, isAnalysisId, type AnalysisId } from '../../../shared/analyses/registry.js';
import type { JobProgress } from '../../../shared/domain/job.js';
import { LabError, toErrorData, type LabErrorData } from '../../../shared/result.js';
import { analysisResultFormat, JobFolder } from '../../format/jobs/jobFolder.js';
import { writeVersioned } from '../../format/versionedFile.js';
import type { Tfjs } from '../backend.js';
import { engineAnalyses } from './registry.js';

const progressIntervalMs = 125;

/**
 * Runs one analysis job in this engine: reads its spec from the job's folder, validates it
 * with the analysis's schema, computes, writes result.json, and records the state. Returns the
 * coded error when the analysis failed (the job is then 'failed'), else null.
 */
export async function runAnalysisJob(tf: Tfjs, workspace: string, jobId: string, report: (progress: JobProgress) => void): Promise<LabErrorData | null> {
  const folder = new JobFolder(workspace, jobId);
  await folder.transition('running');
  let last = 0;
  const progress = (p: JobProgress): void => {
    const now = Date.now();
    if (now - last < progressIntervalMs && p.done < p.total) return;
    last = now;
    report(p);
  };
  try {
    const job = await folder.readSpec();
    if (!job.analysis || !isAnalysisId(job.analysis)) throw new LabError('invalid-request', `${folder.specFile}: '${job.analysis}' is not an analysis this lab knows`);
    const id: AnalysisId = job.analysis;
    const parsed = analyses[id].spec.safeParse(job.spec);
    if (!parsed.success) throw new LabError('invalid-option', `${folder.specFile}: field 'spec.${parsed.error.issues[0]?.path.join('.')}': ${parsed.error.issues[0]?.message}`);
    const result = await engineAnalyses[id].run({ tf, workspace, jobId, progress }, parsed.data as never);
    await writeVersioned(analysisResultFormat(id), folder.resultFile, result as Record<string, unknown>, 0);
    await folder.transition('done', { progress: null });
    return null;
  } catch (cause) {
    const error = toErrorData(cause);
    await folder.transition('failed', { error }).catch(() => undefined);
    return error;
  }
}
