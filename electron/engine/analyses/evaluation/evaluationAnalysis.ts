import { existsSync } from 'node:fs';
import type { EvaluationResult, EvaluationSpec } from '../../../../shared/analyses/evaluation/evaluationSpec.js';
import { LabError } from '../../../../shared/result.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { createAutoencoder } from '../../model/createAutoencoder.js';
import { evaluate } from '../../runs/evaluate.js';
import { inUnitRange, loadTrainingData } from '../../runs/loadTrainingData.js';
import { restrictToClasses } from '../../training/classSubset.js';
import { loadCheckpointWeights } from '../../runs/runTraining.js';
import { Trainer } from '../../training/trainer.js';
import type { EngineAnalysis } from '../analysis.js';

/**
 * The evaluation job: the run's best checkpoint (else its last) evaluated as training ends
 * would, replacing its evaluation.json and test codes.
 */
export const evaluationAnalysis: EngineAnalysis<EvaluationSpec, EvaluationResult> = {
  async run({ tf, workspace, progress }, spec) {
    const folder = new RunFolder(workspace, spec.runId);
    const [config, state] = await Promise.all([folder.readConfig(), folder.readState()]);
    if (state.status === 'running' || state.status === 'paused' || state.status === 'queued') {
      throw new LabError('invalid-request', `Run '${config.name}' is ${state.status}; it is evaluated when its training ends`);
    }
    const which = existsSync(folder.checkpoint('best').stateFile) ? 'best' : 'last';
    if (!existsSync(folder.checkpoint(which).stateFile)) throw new LabError('not-found', `Run '${config.name}' has no checkpoint to evaluate yet`);
    progress({ done: 0, total: 1, message: `evaluating ${config.name} on its test split` });
    const { data: dataset, header } = await loadTrainingData(DatasetFolder.inWorkspace(workspace, config.datasetId).dataFile);
    const data = restrictToClasses(dataset, config.normalClasses);
    const traits = { shape: header.shape, kind: header.kind, unitRange: inUnitRange(header) };
    const run = createAutoencoder(tf, config, traits);
    const trainer = new Trainer(tf, run, config, data);
    try {
      await loadCheckpointWeights(tf, run, folder.checkpoint(which));
      const result = await evaluate(tf, run, trainer, config, data, traits.unitRange);
      await folder.writeEvaluation(result.metrics);
      await folder.writeCodes(result.codes, (data.test.length > 0 ? data.test : data.validation).length);
      return { runId: spec.runId, checkpoint: which, metrics: result.metrics };
    } finally {
      trainer.dispose();
      run.model.encoder.dispose();
      run.model.decoder.dispose();
    }
  },
};
