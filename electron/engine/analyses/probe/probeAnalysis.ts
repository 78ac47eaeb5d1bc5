import type * as TF from '@tensorflow/tfjs';
import { jobDraws, validationRuleText, type LabelDraw } from '../../../../shared/analyses/probe/labelDraws.js';
import { accuracyOf, confusionOf, meanAndStd } from '../../../../shared/analyses/probe/probeCurves.js';
import type { LabelsPerClass, ProbeDrawResult, ProbeLine, ProbeLineKind, ProbeResult, ProbeSpec } from '../../../../shared/analyses/probe/probeSpec.js';
import { JobFolder } from '../../../format/jobs/jobFolder.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import type { StoredRunConfig } from '../../../format/runs/runFormats.js';
import type { Tfjs } from '../../backend.js';
import { createAutoencoder } from '../../model/createAutoencoder.js';
import { objectiveModules } from '../../model/objectives/objectives.js';
import type { Autoencoder } from '../../model/types.js';
import { ClassifierDiverged, predictClasses, trainClassifier, type ClassifierOptions, type TrainedClassifier } from '../../probe/classifierTraining.js';
import { inUnitRange } from '../../runs/loadTrainingData.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import type { AnalysisContext, EngineAnalysis } from '../analysis.js';
import { PcaDetectors, type PcaDetector } from '../anomaly/pcaBaseline.js';
import { frozenClassifier, keepClassifier, pcaClassifier, pixelsClassifier } from './classifierExport.js';
import { codeTable, pcaTable, unionOf, type FeatureTable } from './features.js';
import { knnPredictions } from './knn.js';
import { foldCodeStandardisation } from './layerChain.js';
import { probeSetup, type ProbeSetup } from './probeChecks.js';
import { classifierSeed, lineIdOf, lineLabelOf } from './probeLines.js';
import { drawSets, imageSet, pixelSource, tableSource, type FeatureSource } from './probeSets.js';
import { standardisationOf, standardisedRows, type Standardisation } from './standardisation.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One line's figures as they are measured: per labels-per-class count, its draws' results. */
class LineRecord {
  private readonly results = new Map<string, ProbeDrawResult[]>();
  private compiled: boolean | null = null;
  private reason: string | null = null;

  constructor(
    readonly id: string,
    readonly kind: ProbeLineKind,
    public label: string,
    readonly runId: string | null,
    readonly features: number,
    readonly exportable: boolean,
  ) {}

  add(labelsPerClass: LabelsPerClass, result: ProbeDrawResult, trained: TrainedClassifier | null): void {
    const key = String(labelsPerClass);
    this.results.set(key, [...(this.results.get(key) ?? []), result]);
    if (!trained) return;
    // The line ran compiled only where every one of its classifiers did; the first reason says why not.
    this.compiled = (this.compiled ?? true) && trained.compiledStep;
    this.reason ??= trained.fallbackReason;
  }

  line(draws: ProbeResult['draws']): ProbeLine {
    let [failed, all] = [0, 0];
    const points = draws.map(({ labelsPerClass, sets }) => {
      const results = this.results.get(String(labelsPerClass)) ?? [];
      // A diverged classifier measured nothing: it keeps its place among the draws, out of the mean.
      const measured = results.filter((r) => r.failure === undefined);
      [failed, all] = [failed + results.length - measured.length, all + results.length];
      const { mean, std } = meanAndStd(measured.map((r) => r.accuracy));
      return { labelsPerClass, labelledCount: (sets[0]?.train.length ?? 0) + (sets[0]?.validation.length ?? 0), draws: results, meanAccuracy: mean, stdAccuracy: std };
    });
    return {
      id: this.id,
      kind: this.kind,
      label: failed > 0 ? `${this.label} (${failed} of ${all} classifiers diverged)` : this.label,
      runId: this.runId,
      features: this.features,
      compiledStep: this.compiled,
      fallbackReason: this.reason,
      exportable: this.exportable,
      points,
    };
  }
}

/** What one line's classifier gave on a draw: its test predictions, and the trained classifier (null for kNN). */
interface Fitted {
  predicted: Int32Array;
  trained: TrainedClassifier | null;
}

/** The job's draws with what each classifier shares: the test split, the budget, progress. */
class ProbeJob {
  private readonly draws: { labelsPerClass: LabelsPerClass; sets: LabelDraw[] }[];
  private readonly lines: LineRecord[] = [];
  private readonly classes: number;
  private done = 0;
  /** Classifiers the job fits: what progress counts (lowered where PCA merges two runs' k into one line). */
  private total: number;
  private readonly perDraw: number;
  private pcaLines: number;

  constructor(
    private readonly context: AnalysisContext,
    private readonly spec: ProbeSpec,
    private readonly setup: ProbeSetup,
  ) {
    this.classes = setup.header.classNames.length;
    this.draws = jobDraws(setup.groups, spec.labelsPerClass, spec.draws, spec.seed);
    this.perDraw = this.draws.reduce((n, d) => n + d.sets.length, 0);
    const perRun = (spec.modes.includes('frozen') ? 1 : 0) + (spec.modes.includes('finetune') ? 1 : 0) + (spec.baselines.includes('scratch') ? 1 : 0) + (spec.knn ? 2 : 0);
    this.pcaLines = spec.baselines.includes('pca') ? new Set(setup.configs.map((c) => c.latentDim)).size : 0;
    this.total = this.perDraw * (perRun * setup.configs.length + (spec.baselines.includes('pixels') ? 1 : 0) + this.pcaLines);
  }

  private get tf(): Tfjs {
    return this.context.tf;
  }

  /** Every labelled sample any draw uses: the only train samples whose features are computed. */
  private get labelled(): Int32Array {
    return unionOf(this.draws.flatMap((d) => d.sets.flatMap((s) => [s.train, s.validation])));
  }

  private options(seed: number): Omit<ClassifierOptions, 'encoder' | 'inputShape' | 'train' | 'validation'> {
    const { spec } = this;
    return { classes: this.classes, head: { kind: spec.head, hiddenUnits: spec.hiddenUnits }, learningRate: spec.learningRate, batchSize: spec.batchSize, maxEpochs: spec.maxEpochs, maxSteps: spec.maxSteps, patience: spec.patience, seed, onEpoch: () => nextTurn().then(() => 'continue' as const) };
  }

  private announce(what: string, labelsPerClass: LabelsPerClass, d: number, of: number): void {
    const labels = labelsPerClass === 'all' ? 'every label' : `${labelsPerClass} label${labelsPerClass === 1 ? '' : 's'} per class`;
    this.context.progress({ done: this.done, total: this.total, message: `${what}: ${labels}, draw ${d + 1} of ${of}` });
  }

  /** Each (count, draw) of the job in order, announced, with the classifier's time; the event loop turns between two. */
  private eachDraw(record: LineRecord, what: string, fit: (labelsPerClass: LabelsPerClass, draw: LabelDraw, d: number) => Promise<Fitted>): Promise<void> {
    return this.eachDrawOf([record], what, async (n, draw, d) => [await fit(n, draw, d)]);
  }

  /**
   * The same for lines fitted together (1-NN and 5-NN from one neighbour search: each is
   * given the search's time). A classifier whose training diverges fails its draw alone: the
   * draw is recorded with the failure, and the job goes on.
   */
  private async eachDrawOf(records: readonly LineRecord[], what: string, fit: (labelsPerClass: LabelsPerClass, draw: LabelDraw, d: number) => Promise<Fitted[]>): Promise<void> {
    for (const { labelsPerClass, sets } of this.draws) {
      for (const [d, draw] of sets.entries()) {
        this.announce(what, labelsPerClass, d, sets.length);
        const started = performance.now();
        let fitted: Fitted[] | ClassifierDiverged;
        try {
          fitted = await fit(labelsPerClass, draw, d);
        } catch (cause) {
          if (!(cause instanceof ClassifierDiverged)) throw cause;
          fitted = cause;
        }
        const seconds = (performance.now() - started) / 1000;
        records.forEach((record, i) => {
          if (fitted instanceof ClassifierDiverged) {
            const none = confusionOf([], [], this.classes);
            record.add(labelsPerClass, { draw: d, accuracy: 0, confusion: none, epochs: fitted.epochs, steps: fitted.steps, stoppedBy: 'none', seconds, failure: fitted.message }, null);
          } else {
            const { predicted, trained } = fitted[i] as Fitted;
            const confusion = confusionOf(this.setup.testLabels, predicted, this.classes);
            record.add(labelsPerClass, { draw: d, accuracy: accuracyOf(confusion), confusion, epochs: trained?.epochs ?? 0, steps: trained?.steps ?? 0, stoppedBy: trained?.stoppedBy ?? 'none', seconds }, trained);
          }
          this.done += 1;
        });
        await nextTurn();
      }
    }
  }

  private keeps(d: number): boolean {
    return this.spec.keepClassifiers && d === 0;
  }

  private async keep(record: LineRecord, labelsPerClass: LabelsPerClass, model: TF.LayersModel, predicted: Int32Array): Promise<void> {
    const { setup } = this;
    const confusion = confusionOf(setup.testLabels, predicted, this.classes);
    await keepClassifier(this.tf, new JobFolder(this.context.workspace, this.context.jobId).classifierDir(record.id, labelsPerClass), model, {
      jobId: this.context.jobId,
      lineId: record.id,
      kind: record.kind,
      label: record.label,
      runId: record.runId,
      labelsPerClass,
      draw: 0,
      datasetId: setup.datasetId,
      classNames: [...setup.header.classNames],
      inputShape: (model.inputs[0]?.shape ?? []).slice(1) as number[],
      inputScaling: { offset: setup.data.offset, factor: setup.data.factor },
      testAccuracy: accuracyOf(confusion),
    });
  }

  /** A head alone on standardised features of one draw; `exported` makes the kept classifier from it. */
  private async fitHead(record: LineRecord, source: FeatureSource, labelsPerClass: LabelsPerClass, draw: LabelDraw, d: number, exported?: (head: TF.LayersModel, standardisation: Standardisation) => TF.LayersModel): Promise<Fitted> {
    const { tf, setup } = this;
    const sets = drawSets(draw, setup.data.labels);
    const standardisation = await source.standardisation(sets.train);
    const features = source.standardised(standardisation);
    try {
      const trained = await trainClassifier(tf, {
        ...this.options(classifierSeed(this.spec.seed, record.id, labelsPerClass, d)),
        encoder: null,
        inputShape: [source.dimension],
        train: features.set(sets.train, sets.trainLabels),
        validation: sets.validation.length > 0 ? features.set(sets.validation, sets.validationLabels) : null,
      });
      try {
        const predicted = await predictClasses(tf, trained.model, features.test(setup.test));
        if (exported && this.keeps(d)) {
          const model = exported(trained.model, standardisation);
          try {
            await this.keep(record, labelsPerClass, model, predicted);
          } finally {
            model.dispose();
          }
        }
        return { predicted, trained };
      } finally {
        trained.model.dispose();
      }
    } finally {
      features.dispose();
    }
  }

  /** An encoder (a copy: fine-tuned, or freshly initialised) trained with the head on the draw's images, its codes standardised by folding first. */
  private async fitEncoder(record: LineRecord, encoder: TF.LayersModel, meanUnits: number | null, learningRateFactor: number, standardisation: Standardisation, labelsPerClass: LabelsPerClass, draw: LabelDraw, d: number): Promise<Fitted> {
    const { tf, setup } = this;
    const notFolded = foldCodeStandardisation(tf, encoder, standardisation);
    if (notFolded && !record.label.includes('codes not standardised')) record.label += ` (codes not standardised: ${notFolded})`;
    const sets = drawSets(draw, setup.data.labels);
    const inputShape = (encoder.inputs[0]?.shape ?? []).slice(1) as number[];
    const images = (indices: Int32Array, labels: Int32Array) => ({ labels, inputs: imageSet(tf, setup.data, indices, inputShape).inputs });
    const trained = await trainClassifier(tf, {
      ...this.options(classifierSeed(this.spec.seed, record.id, labelsPerClass, d)),
      encoder: { model: encoder, meanUnits, learningRateFactor },
      inputShape,
      train: images(sets.train, sets.trainLabels),
      validation: sets.validation.length > 0 ? images(sets.validation, sets.validationLabels) : null,
    });
    try {
      const predicted = await predictClasses(tf, trained.model, imageSet(tf, setup.data, setup.test, inputShape));
      // The trainer's model is already encoder (μ only for a VAE, standardisation folded) and head as fresh layers.
      if (this.keeps(d)) await this.keep(record, labelsPerClass, trained.model, predicted);
      return { predicted, trained };
    } finally {
      trained.model.dispose();
    }
  }

  private record(kind: ProbeLineKind, runId: string | null, label: string, features: number, k?: number): LineRecord {
    const record = new LineRecord(lineIdOf(kind, runId, k), kind, label, runId, features, this.spec.keepClassifiers && kind !== 'knn1' && kind !== 'knn5');
    this.lines.push(record);
    return record;
  }

  private async probeRun(runId: string, config: StoredRunConfig): Promise<void> {
    const { tf, spec, setup } = this;
    const folder = new RunFolder(this.context.workspace, runId);
    const objective = objectiveModules[config.objective];
    const meanUnits = objective.posterior ? config.latentDim : null;
    const { encoder, decoder } = await loadCheckpointModels(tf, folder);
    const model: Autoencoder = { encoder, decoder, inputShape: (encoder.inputs[0]?.shape ?? []).slice(1) as number[], latentShape: (decoder.inputs[0]?.shape ?? []).slice(1) as number[] };
    const name = config.name;
    const lines = {
      frozen: spec.modes.includes('frozen'),
      finetune: spec.modes.includes('finetune'),
      scratch: spec.baselines.includes('scratch'),
      knn: spec.knn,
    };
    try {
      let codes: FeatureTable | undefined;
      if (lines.frozen || lines.finetune || lines.knn) {
        const indices = unionOf([this.labelled, setup.test]);
        codes = await codeTable(tf, model, objective, config.latentDim, setup.data, indices, async (done) => {
          this.context.progress({ done: this.done, total: this.total, message: `Codes of run '${name}': ${done} of ${indices.length} samples` });
          await nextTurn();
        });
      }
      if (codes && lines.frozen) {
        const record = this.record('frozen', runId, lineLabelOf('frozen', name), codes.dimension);
        const source = tableSource(tf, codes);
        await this.eachDraw(record, `frozen codes of run '${name}'`, (n, draw, d) => this.fitHead(record, source, n, draw, d, (head, standardisation) => frozenClassifier(tf, encoder, meanUnits, standardisation, head)));
      }
      if (codes && lines.knn) {
        const table = codes;
        const records = ([1, 5] as const).map((k) => this.record(k === 1 ? 'knn1' : 'knn5', runId, lineLabelOf(k === 1 ? 'knn1' : 'knn5', name), table.dimension));
        const test = table.rowsOf(setup.test);
        await this.eachDrawOf(records, `1-NN and 5-NN on the codes of run '${name}'`, async (_n, draw) => {
          // One standardisation and one neighbour search per draw serve both k.
          const sets = drawSets(draw, setup.data.labels);
          const standardisation = standardisationOf(table.values, table.dimension, table.rowsOf(sets.train));
          const labelled = Int32Array.from([...sets.train, ...sets.validation]);
          const labels = Int32Array.from([...sets.trainLabels, ...sets.validationLabels]);
          const reference = standardisedRows(table.values, table.dimension, table.rowsOf(labelled), standardisation);
          const queries = standardisedRows(table.values, table.dimension, test, standardisation);
          const votes = await knnPredictions(tf, reference, labels, queries, table.dimension, [1, 5]);
          return votes.map((predicted) => ({ predicted, trained: null }));
        });
      }
      if (codes && lines.finetune) {
        const table = codes;
        const record = this.record('finetune', runId, lineLabelOf('finetune', name), table.dimension);
        // The checkpoint's encoder as it was loaded, in memory: each draw trains a fresh copy, the run's own files are only read once.
        const original = await inMemory(tf, encoder);
        await this.eachDraw(record, `fine-tuning run '${name}'`, async (n, draw, d) => {
          const copy = await tf.loadLayersModel(tf.io.fromMemory(original));
          try {
            const standardisation = standardisationOf(table.values, table.dimension, table.rowsOf(draw.train));
            return await this.fitEncoder(record, copy, meanUnits, spec.encoderLearningRateFactor, standardisation, n, draw, d);
          } finally {
            copy.dispose();
          }
        });
      }
      if (lines.scratch) await this.probeScratch(runId, config, codes?.dimension ?? config.latentDim);
    } finally {
      encoder.dispose();
      decoder.dispose();
    }
  }

  /** The run's architecture from random initialisation (a seed per draw), trained with the head at the head's learning rate. */
  private async probeScratch(runId: string, config: StoredRunConfig, features: number): Promise<void> {
    const { tf, setup } = this;
    const record = this.record('scratch', runId, lineLabelOf('scratch', config.name), features);
    const traits = { shape: setup.header.shape, kind: setup.header.kind, unitRange: inUnitRange(setup.header) };
    const meanUnits = objectiveModules[config.objective].posterior ? config.latentDim : null;
    await this.eachDraw(record, `run '${config.name}''s encoder from scratch`, async (n, draw, d) => {
      const built = createAutoencoder(tf, { ...config, seed: classifierSeed(this.spec.seed, `${record.id}:init`, n, d) }, traits);
      try {
        // Its codes before training, on the draw's training labels, set the standardisation folded into it.
        const codes = await codeTable(tf, built.model, built.objective, config.latentDim, setup.data, Int32Array.from(draw.train));
        const standardisation = standardisationOf(codes.values, codes.dimension, codes.rowsOf(draw.train));
        return await this.fitEncoder(record, built.model.encoder, meanUnits, 1, standardisation, n, draw, d);
      } finally {
        built.model.encoder.dispose();
        built.model.decoder.dispose();
      }
    });
  }

  private async probePixels(): Promise<void> {
    const { tf, setup } = this;
    const source = pixelSource(tf, setup.data);
    const record = this.record('pixels', null, lineLabelOf('pixels', null), source.dimension);
    await this.eachDraw(record, 'raw pixels', (n, draw, d) => this.fitHead(record, source, n, draw, d, (head, standardisation) => pixelsClassifier(tf, setup.data.shape, standardisation, head)));
  }

  private async probePca(): Promise<void> {
    const { tf, setup } = this;
    const detectors = new PcaDetectors({ ...this.context, progress: (p) => this.context.progress({ done: this.done, total: this.total, message: p.message }) }, setup.datasetId, setup.data);
    const fitted = new Map<number, PcaDetector>();
    for (const k of [...new Set(setup.configs.map((c) => c.latentDim))].sort((a, b) => a - b)) {
      this.context.progress({ done: this.done, total: this.total, message: `PCA-${k} of '${setup.datasetId}' (its train split, no labels)` });
      const detector = await detectors.get(undefined, k, `'${setup.datasetId}'`);
      // PCA caps k by the dimension and the train count: two runs' k may become one line.
      if (!fitted.has(detector.k)) fitted.set(detector.k, detector);
    }
    // Progress counted a line per distinct k asked for; the merged lines are not fitted.
    this.total -= this.perDraw * (this.pcaLines - fitted.size);
    this.pcaLines = fitted.size;
    for (const detector of fitted.values()) {
      const table = await pcaTable(tf, detector, setup.data, unionOf([this.labelled, setup.test]));
      const record = this.record('pca', null, lineLabelOf('pca', null, detector.k), detector.k, detector.k);
      const source = tableSource(tf, table);
      await this.eachDraw(record, `PCA-${detector.k} codes`, (n, draw, d) => this.fitHead(record, source, n, draw, d, (head, standardisation) => pcaClassifier(tf, setup.data.shape, detector, standardisation, head)));
    }
  }

  async run(started: number): Promise<ProbeResult> {
    const { spec, setup } = this;
    for (const [r, config] of setup.configs.entries()) await this.probeRun(spec.runIds[r] ?? '', config);
    if (spec.baselines.includes('pixels')) await this.probePixels();
    if (spec.baselines.includes('pca')) await this.probePca();
    this.context.progress({ done: this.done, total: this.total, message: 'Every line measured' });
    const draws = this.draws.map(({ labelsPerClass, sets }) => ({ labelsPerClass, sets: sets.map((s) => ({ seed: s.seed, train: s.train, validation: s.validation })) }));
    return {
      datasetId: setup.datasetId,
      classNames: [...setup.header.classNames],
      draws,
      testCount: setup.test.length,
      head: spec.head,
      lines: this.lines.map((l) => l.line(draws)),
      validationRule: validationRuleText,
      seconds: (performance.now() - started) / 1000,
    };
  }
}

/** A model's topology and weights held in memory, as its files would hold them: a copy loads from it without the disk. */
async function inMemory(tf: Tfjs, model: TF.LayersModel): Promise<TF.io.ModelArtifacts> {
  let saved: TF.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (!saved) throw new Error('the encoder could not be copied in memory');
  return saved;
}

/**
 * The learning-curve probe: classifiers on few labels, on top of each run's encoder (frozen
 * codes, fine-tuned, kNN on the codes) and against the baselines (pixels, PCA-k, the encoder
 * from scratch), every line on the same stratified draws of the train split, tested on the
 * whole labelled test split. Every setup is checked before anything loads or trains.
 */
export const probeAnalysis: EngineAnalysis<ProbeSpec, ProbeResult> = {
  async run(context, spec) {
    const started = performance.now();
    const setup = await probeSetup(context.workspace, spec);
    return new ProbeJob(context, spec, setup).run(started);
  },
};
