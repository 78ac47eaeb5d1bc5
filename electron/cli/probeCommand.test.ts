import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClassifierFiles, ClassifierInfo } from '../../shared/analyses/probe/classifierInfo.js';
import { validationRuleText } from '../../shared/analyses/probe/labelDraws.js';
import type { LabelsPerClass, ProbeLine, ProbeResult } from '../../shared/analyses/probe/probeSpec.js';
import type { RunSummary } from '../../shared/domain/run.js';
import { classifierInfoFormat } from '../format/jobs/jobFolder.js';
import { readVersioned } from '../format/versionedFile.js';
import { generateShapes } from '../lab/datasets/builtin/shapes.js';
import { Lab } from '../lab/lab.js';
import { tempDir } from '../lab/testing/fixtures.js';
import { parseCli } from './args.js';
import { main } from './main.js';
import { exportCommand, parseLabels, probeJson, probeOptionsFromArgs, probeSpec, probeTable, probeText, resolveRuns, type ExportLab } from './probeCommand.js';
import { captureCliOutput } from './testing/capturedOutput.js';
import { cli, lastJson, startCli, until } from './testing/cliProcess.js';

const runA = '20260101000000-aaaaaa';
const runB = '20260101000000-bbbbbb';
const options = (...argv: string[]) => probeOptionsFromArgs(parseCli(['probe', ...argv]).values);

describe('aelab probe arguments', () => {
  it('reads every flag into the spec, and leaves the rest at the analysis’s defaults', () => {
    const spec = probeSpec(
      options('--labels', '1,5,all', '--draws', '3', '--modes', 'frozen', '--baselines', 'pixels,pca', '--head', 'mlp', '--hidden', '64', '--no-knn', '--lr', '0.01', '--max-epochs', '20', '--max-steps', '300', '--patience', '4', '--batch', '32', '--seed', '7', '--no-keep'),
      [runA, runB],
    );
    expect(spec).toEqual({
      runIds: [runA, runB],
      labelsPerClass: [1, 5, 'all'],
      draws: 3,
      head: 'mlp',
      hiddenUnits: 64,
      modes: ['frozen'],
      baselines: ['pixels', 'pca'],
      knn: false,
      learningRate: 0.01,
      encoderLearningRateFactor: 0.1,
      maxEpochs: 20,
      maxSteps: 300,
      patience: 4,
      batchSize: 32,
      seed: 7,
      keepClassifiers: false,
    });
    expect(probeSpec(options(), [runA])).toMatchObject({ labelsPerClass: [1, 5, 10, 50, 100, 1000, 'all'], draws: 5, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca', 'scratch'], head: 'softmax', knn: true, keepClassifiers: true });
    expect(options('--baselines', 'none', '--encoder-lr-factor', '0.5').baselines).toEqual([]);
    expect(options('--encoder-lr-factor', '0.5').encoderLearningRateFactor).toBe(0.5);
  });

  it('refuses a bad value naming the flag and the value', () => {
    expect(() => parseLabels('1,0')).toThrow("--labels: '0' is not a count of labels per class (a whole number ≥ 1, or all)");
    expect(() => parseLabels('1,2.5')).toThrow("--labels: '2.5' is not a count of labels per class (a whole number ≥ 1, or all)");
    expect(() => parseLabels('1,x')).toThrow("--labels: 'x' is not a count of labels per class (a whole number ≥ 1, or all)");
    expect(() => parseLabels('1,,5')).toThrow('--labels: an entry is empty');
    expect(() => parseLabels('5,all,5')).toThrow('--labels: 5 is given twice');
    // Sorted as the form sorts them: ascending, all last.
    expect(parseLabels('ALL, 10, 1')).toEqual([1, 10, 'all']);
    expect(() => options('--draws', '0')).toThrow("--draws: '0' is not a number of draws (a whole number ≥ 1)");
    expect(() => options('--modes', 'frozen,tuned')).toThrow("--modes: 'tuned' is not a mode; give a comma list of frozen, finetune, or none");
    expect(() => options('--modes', 'frozen,frozen')).toThrow('--modes: frozen is given twice');
    expect(() => options('--baselines', 'pixels,raw')).toThrow("--baselines: 'raw' is not a baseline; give a comma list of pixels, pca, scratch, or none");
    expect(() => options('--head', 'svm')).toThrow("--head: 'svm' is not a head; give softmax or mlp");
    expect(() => options('--head', 'softmax,mlp')).toThrow("--head: 'softmax,mlp' is not a head; give softmax or mlp");
    expect(() => options('--modes', 'none', '--baselines', 'none', '--no-knn')).toThrow('--modes none, --baselines none and --no-knn leave nothing to measure');
    expect(options('--modes', 'none', '--baselines', 'none')).toMatchObject({ modes: [], baselines: [], knn: true });
    expect(() => options('--hidden', '64')).toThrow('--hidden sets the hidden units of the MLP head; it needs --head mlp');
    expect(() => options('--lr', '0')).toThrow("--lr: '0' is not a learning rate (a number above 0)");
    expect(() => options('--lr', 'fast')).toThrow("--lr: 'fast' is not a learning rate (a number above 0)");
    expect(() => options('--batch', '3.5')).toThrow("--batch: '3.5' is not a batch size (a whole number)");
    expect(() => options('--modes', 'frozen', '--encoder-lr-factor', '0.5')).toThrow('--encoder-lr-factor sets the fine-tuned encoder’s learning rate; it needs finetune in --modes');
  });

  it('refuses what the analysis’s schema refuses, in the flags’ words', () => {
    expect(() => options('--draws', '60')).toThrow('--draws must be at most 50; 60 was given');
    expect(() => options('--lr', '2')).toThrow('--lr must be at most 1; 2 was given');
    expect(() => options('--batch', '0')).toThrow('--batch must be at least 1; 0 was given');
    expect(() => options('--labels', '2000000')).toThrow("--labels: '2000000' is more than the lab's limit of 1,000,000 labels per class");
    expect(() => probeSpec(options(), [])).toThrow('--run must have at least 1 entry; 0 were given');
  });

  it('refuses flags that do not apply, saying what does', () => {
    expect(() => options('--epochs', '3')).toThrow('--epochs does not apply to aelab probe --run R…; the classifiers’ budget is --max-epochs N (and --max-steps N)');
    expect(() => options('--dataset', 'shapes')).toThrow('--dataset does not apply to aelab probe --run R…; the runs’ dataset is the one probed');
    expect(() => options('--out', 'x')).toThrow('--out does not apply to aelab probe --run R…');
    // Global flags and boolean defaults are not strays.
    expect(() => options('--json', '--workspace', 'ws')).not.toThrow();
  });

  it('takes a run by id or by a name one run has; refuses an unknown, shared or repeated one', () => {
    const runs = [
      { id: runA, name: 'dense AE' },
      { id: runB, name: 'twin' },
      { id: '20260101000000-cccccc', name: 'twin' },
    ] as RunSummary[];
    expect(resolveRuns([runB, 'dense AE'], runs).map((r) => r.id)).toEqual([runB, runA]);
    expect(() => resolveRuns(['twin'], runs)).toThrow(`--run: 2 runs are named 'twin' (${runB}, 20260101000000-cccccc); give one by its id`);
    expect(() => resolveRuns(['nope'], runs)).toThrow("--run: no run 'nope' in this workspace");
    expect(() => resolveRuns([runA, 'dense AE'], runs)).toThrow(`--run: run ${runA} (dense AE) is given twice`);
    expect(() => resolveRuns([], runs)).toThrow('probe needs at least one trained run: --run ID|NAME');
  });
});

const draw = (d: number, accuracy: number) => ({ draw: d, accuracy, confusion: [[1, 0], [0, 1]], epochs: 3, steps: 9, stoppedBy: 'budget' as const, seconds: 0.1 });
const point = (n: LabelsPerClass, accuracies: number[], std: number) => ({
  labelsPerClass: n,
  labelledCount: n === 'all' ? 100 : n * 2,
  draws: accuracies.map((a, d) => draw(d, a)),
  meanAccuracy: accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
  stdAccuracy: std,
});
const line = (id: string, label: string, kind: ProbeLine['kind'], points: ProbeLine['points'], rest: Partial<ProbeLine> = {}): ProbeLine => ({
  id, kind, label, runId: kind === 'pixels' ? null : runA, features: 16, compiledStep: true, fallbackReason: null, exportable: true, points, ...rest,
});
const result: ProbeResult = {
  datasetId: 'shapes',
  classNames: ['square', 'ellipse'],
  draws: [1, 5, 'all'].map((n) => ({ labelsPerClass: n as LabelsPerClass, sets: n === 'all' ? [{ seed: 1, train: [], validation: [] }] : [{ seed: 1, train: [], validation: [] }, { seed: 2, train: [], validation: [] }] })),
  testCount: 200,
  head: 'softmax',
  lines: [
    line(`${runA}:frozen`, 'dense AE · frozen', 'frozen', [point(1, [0.6, 0.7], 0.0707), point(5, [0.8, 0.82], 0.0141), point('all', [0.9], 0)]),
    line(`${runA}:finetune`, 'dense AE · fine-tuned', 'finetune', [point(1, [0.5, 0.55], 0.0354), point(5, [0.85, 0.87], 0.0141), point('all', [0.95], 0)], { compiledStep: false, fallbackReason: 'the conv encoder is not compilable here' }),
    line(`${runA}:knn1`, 'dense AE · 1-NN', 'knn1', [point(1, [0.58, 0.6], 0.0141)], { compiledStep: null, exportable: false }),
    line('pixels', 'pixels', 'pixels', [point(1, [0.4, 0.5], 0.0707), point(5, [0.7, 0.72], 0.0141), point('all', [0.93], 0)]),
  ],
  validationRule: validationRuleText,
  seconds: 12.34,
};

describe('aelab probe output', () => {
  it('tabulates mean ± std per line and count, the best of each count marked', () => {
    const table = probeTable(result);
    expect(table.columns).toEqual([1, 5, 'all']);
    expect(table.winners).toEqual({ '1': { lineId: `${runA}:frozen`, margin: expect.closeTo(0.06, 9) }, '5': { lineId: `${runA}:finetune`, margin: expect.closeTo(0.05, 9) }, all: { lineId: `${runA}:finetune`, margin: expect.closeTo(0.02, 9) } });
    const lines = probeText(result, 'J1').split('\n');
    expect(lines[0]).toBe('Test accuracy (%) on the 200 test samples of shapes, softmax head; mean ± std over 2 draws; * the best at that count');
    expect(lines[1]).toMatch(/^labels per class +1 +5 +all$/);
    expect(lines[2]).toMatch(/^dense AE · frozen +65\.0 ± 7\.1 \* +81\.0 ± 1\.4 +90\.0$/);
    expect(lines[3]).toMatch(/^dense AE · fine-tuned +52\.5 ± 3\.5 +86\.0 ± 1\.4 \* +95\.0 \*$/);
    // A line that measured fewer counts shows a dash where it has none.
    expect(lines[4]).toMatch(/^dense AE · 1-NN +59\.0 ± 1\.4 +— +—$/);
    expect(lines[5]).toMatch(/^pixels +45\.0 ± 7\.1 +71\.0 ± 1\.4 +93\.0$/);
    // Columns line up: every cell ends where its heading does.
    const end = (text: string | undefined, part: RegExp): number => { const m = part.exec(text ?? ''); return m ? m.index + m[0].length : -1; };
    expect(end(lines[2], /81\.0 ± 1\.4/)).toBe(end(lines[1], / 5/));
    const text = lines.join('\n');
    expect(text).toContain(`validation: ${validationRuleText}`);
    expect(text).toContain("'all' is every labelled sample of the train split, drawn once: it has no spread.");
    expect(text).toContain('note: dense AE · fine-tuned trained step by step, not as one compiled step: the conv encoder is not compilable here');
    expect(text).not.toContain('note: dense AE · frozen');
    expect(text).toContain('job J1 (12.3 s)');
    expect(text).toContain('export a kept classifier: aelab probe export J1 --line LINE --labels N --out DIR');
    expect(text).toContain(`  --line ${runA}:frozen  (dense AE · frozen)`);
    expect(text).not.toContain(`--line ${runA}:knn1`);
  });

  it('gives the job, the winners and the whole result as JSON', () => {
    const json = probeJson(result, 'J1') as { jobId: string; winners: Record<string, { lineId: string }>; result: ProbeResult };
    expect(json.jobId).toBe('J1');
    expect(json.winners['5']?.lineId).toBe(`${runA}:finetune`);
    expect(json.result).toEqual(result);
  });

  it('shows names from files without their control characters', () => {
    const hostile = { ...result, lines: [line('pixels', 'pix\u001b[2Jels', 'pixels', [point(1, [0.5, 0.5], 0)])] };
    expect(probeText(hostile, 'J1')).toContain('pix\\x1b[2Jels');
    expect(probeText(hostile, 'J1')).not.toContain('\u001b');
  });
});

const info: ClassifierInfo = {
  jobId: 'J1', lineId: `${runA}:frozen`, kind: 'frozen', label: 'dense AE · frozen', runId: runA, labelsPerClass: 5, draw: 0, datasetId: 'shapes',
  classNames: ['square', 'ellipse'], inputShape: [32, 32, 1], inputScaling: { offset: 0, factor: 1 / 255 }, testAccuracy: 0.81,
};
const files: ClassifierFiles = { info, modelJson: JSON.stringify({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: [] }] }), weights: new Uint8Array([1, 2, 3, 4]) };

/** A lab that answers the two reads the export makes, and records what was asked. */
function fakeLab(calls: unknown[] = []): ExportLab {
  return {
    call: (async (channel: string, payload: unknown) => {
      calls.push([channel, payload]);
      if (channel === 'analyses.result') return { job: { id: 'J1', title: 'Pretrained encoders of dense AE', status: 'done' }, result };
      if (channel === 'analyses.classifier') return files;
      throw new Error(`unexpected ${channel}`);
    }) as ExportLab['call'],
  };
}

const exportArgs = (...argv: string[]) => {
  const { positionals, values } = parseCli(['probe', 'export', ...argv]);
  return [positionals.slice(1), values] as const;
};

describe('aelab probe export', () => {
  const captured = captureCliOutput();
  let dir: string;
  beforeEach(() => ({ dir } = captured));

  it('writes model.json, weights.bin, a versioned classifier.json and a README that says how to load it', async () => {
    const calls: unknown[] = [];
    const out = join(dir, 'classifier');
    const { text, value } = await exportCommand(fakeLab(calls), ...exportArgs('J1', '--line', `${runA}:frozen`, '--labels', '5', '--out', out));
    expect(calls).toContainEqual(['analyses.classifier', { id: 'J1', lineId: `${runA}:frozen`, labelsPerClass: 5 }]);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'classifier.json', 'model.json', 'weights.bin']);
    expect(await readFile(join(out, 'model.json'), 'utf8')).toBe(files.modelJson);
    expect([...(await readFile(join(out, 'weights.bin')))]).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(await readFile(join(out, 'classifier.json'), 'utf8'))).toMatchObject({ formatVersion: classifierInfoFormat.version, lineId: `${runA}:frozen` });
    expect(await readVersioned(classifierInfoFormat, join(out, 'classifier.json'))).toEqual(info);
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    expect(readme).toContain("tf.loadLayersModel('file:///path/to/this/folder/model.json')");
    expect(readme).toContain('tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json classifier.h5');
    expect(readme).toContain('[n, 32, 32, 1] (height, width, channels');
    expect(readme).toContain(`(v − 0) · ${1 / 255}`);
    expect(readme).toContain('0. square\n1. ellipse');
    expect(text).toContain('Exported dense AE · frozen at 5 labels per class (test accuracy 81.0 %)');
    expect(value).toMatchObject({ jobId: 'J1', lineId: `${runA}:frozen`, labelsPerClass: 5 });
  });

  it('refuses a folder that is not empty unless --force, and then writes into it', async () => {
    const out = join(dir, 'busy');
    await exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', 'all', '--out', out));
    await writeFile(join(out, 'notes.txt'), 'mine');
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '5', '--out', out))).rejects.toThrow(
      `--out: '${out}' is not empty (5 entries); choose an empty or new folder, or give --force to write model.json, weights.bin, classifier.json, README.md into it`,
    );
    await exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '5', '--out', out, '--force'));
    expect((await readdir(out)).sort()).toEqual(['README.md', 'classifier.json', 'model.json', 'notes.txt', 'weights.bin']);
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '5', '--out', join(out, 'notes.txt')))).rejects.toThrow('is a file, not a folder');
  });

  it('lists the exportable lines and their counts where --line or --labels is missing or wrong', async () => {
    const listed = `its exportable lines are ${runA}:frozen (dense AE · frozen) at 1, 5, all labels per class; ${runA}:finetune (dense AE · fine-tuned) at 1, 5, all labels per class; pixels (pixels) at 1, 5, all labels per class`;
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--labels', '5', '--out', dir))).rejects.toThrow(`--line LINE is needed: which classifier of job J1 to export; ${listed}`);
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pca-16', '--labels', '5', '--out', dir))).rejects.toThrow(`--line: job J1 has no line 'pca-16'; ${listed}`);
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--out', dir))).rejects.toThrow('--labels N is needed: the labels per class of the classifier; its exportable lines are pixels (pixels) at 1, 5, all labels per class');
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '1,5', '--out', dir))).rejects.toThrow("--labels: give one count to export ('1,5' was given)");
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '10', '--out', dir))).rejects.toThrow(`--labels: line pixels kept no classifier at 10 labels per class; ${listed}`);
    // kNN trains nothing, so nothing of it is kept.
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', `${runA}:knn1`, '--labels', '1', '--out', dir))).rejects.toThrow(`--labels: line ${runA}:knn1 kept no classifier at 1 label per class`);
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--line', 'pixels', '--labels', '5'))).rejects.toThrow('--out DIR is needed');
    await expect(exportCommand(fakeLab(), ...exportArgs('--line', 'pixels'))).rejects.toThrow('probe export needs the JOB id of a probe');
    await expect(exportCommand(fakeLab(), ...exportArgs('J1', '--draws', '3'))).rejects.toThrow('--draws does not apply to aelab probe export JOB');
  });
});

describe('aelab probe, through main', () => {
  const captured = captureCliOutput();

  it('exits 1 with the flag’s message before touching any run, and names an unknown run', async () => {
    const ws = join(captured.dir, 'ws');
    expect(await main(['--workspace', ws, 'probe', '--run', 'x', '--labels', '0'])).toBe(1);
    expect(captured.err.join('')).toContain("aelab: error invalid-option: --labels: '0' is not a count of labels per class (a whole number ≥ 1, or all)");
    expect(await main(['--workspace', ws, '--json', 'probe', '--run', 'nope'])).toBe(1);
    expect(JSON.parse(captured.out.join('').trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'not-found', message: expect.stringMatching(/^--run: no run 'nope' in this workspace/) } });
    expect(await main(['--workspace', ws, 'probe', 'R1'])).toBe(1);
    expect(captured.err.join('')).toContain("probe takes its runs as --run ID|NAME, and 'export JOB' to export a classifier; 'R1' was given");
  }, 60_000);
});

describe('aelab probe, end to end', () => {
  let dir: string;
  let ws: string;
  beforeAll(async () => {
    dir = await tempDir('aelab-probe-');
    ws = join(dir, 'ws');
    // A small Shapes set: five classes of 16×16, quick to train on and to probe.
    await Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' }).datasets.save(generateShapes({ count: 600, size: 16, seed: 3 }), 'Small shapes', { id: 'small' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes a trained run by name against pixels, prints the table, gives the JSON, and exports a classifier', async () => {
    const trained = await cli(['--workspace', ws, 'train', '--dataset', 'small', '--name', 'tiny AE', '--arch', 'dense', '--latent', '4', '--epochs', '1', '--batch', '32']);
    expect(trained.code, trained.stderr).toBe(0);
    const probed = await cli(['--workspace', ws, 'probe', '--run', 'tiny AE', '--labels', '1,5', '--draws', '2', '--modes', 'frozen', '--baselines', 'pixels']);
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.stderr).toMatch(/^probing: Pretrained encoders of tiny AE \(job \d{14}-[0-9a-f]{6}\)$/m);
    expect(probed.stderr).toMatch(/^probe \d+\/\d+: /m);
    const lines = probed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Test accuracy \(%\) on the \d+ test samples of small, softmax head; mean ± std over 2 draws; \* the best at that count$/);
    expect(lines[1]).toMatch(/^labels per class +1 +5$/);
    // Frozen codes, 1-NN and 5-NN on them, pixels: one row each, a figure with its spread in every cell.
    const rows = lines.slice(2, 6);
    expect(rows.map((row) => row.replace(/ {2,}.*/, ''))).toEqual(['tiny AE: frozen codes', 'tiny AE: 1-NN on codes', 'tiny AE: 5-NN on codes', 'raw pixels']);
    for (const row of rows) expect(row).toMatch(/ {2}\d+\.\d ± \d+\.\d( \*)? +\d+\.\d ± \d+\.\d( \*)?$/);
    // Exactly one winner per column.
    expect(rows.flatMap((row) => row.match(/\*/g) ?? [])).toHaveLength(2);
    expect(probed.stdout).toContain(`validation: ${validationRuleText}`);
    const jobId = /^job (\d{14}-[0-9a-f]{6}) /m.exec(probed.stdout)?.[1] ?? '';
    expect(probed.stdout).toContain(`export a kept classifier: aelab probe export ${jobId} --line LINE --labels N --out DIR`);

    const json = await cli(['--workspace', ws, '--json', 'probe', '--run', 'tiny AE', '--labels', '1,5', '--draws', '2', '--modes', 'frozen', '--baselines', 'pixels', '--no-knn']);
    expect(json.code, json.stderr).toBe(0);
    const value = lastJson(json.stdout) as { jobId: string; winners: Record<string, { lineId: string }>; result: ProbeResult };
    const runId = value.result.lines[0]?.runId ?? '';
    expect(value.result.lines.map((l) => l.id)).toEqual([`${runId}:frozen`, 'pixels']);
    expect(Object.keys(value.winners).sort()).toEqual(['1', '5']);
    // The same seed draws the same labels and trains the same classifiers: the two jobs agree.
    const textCell = rows[0]?.split(/ {2,}/)[1];
    const frozen = value.result.lines[0]?.points[0];
    expect(textCell?.replace(' *', '')).toBe(`${((frozen?.meanAccuracy ?? 0) * 100).toFixed(1)} ± ${((frozen?.stdAccuracy ?? 0) * 100).toFixed(1)}`);
    for (const draws of value.result.draws) for (const set of draws.sets) expect(set.train.length + set.validation.length).toBe(5 * Number(draws.labelsPerClass));

    const out = join(dir, 'exported');
    const exported = await cli(['--workspace', ws, 'probe', 'export', value.jobId, '--line', `${runId}:frozen`, '--labels', '5', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'classifier.json', 'model.json', 'weights.bin']);
    const info = await readVersioned(classifierInfoFormat, join(out, 'classifier.json'));
    expect(info).toMatchObject({ jobId: value.jobId, lineId: `${runId}:frozen`, labelsPerClass: 5, datasetId: 'small', classNames: ['square', 'ellipse', 'triangle', 'cross', 'star'] });
    expect(info.testAccuracy).toBe(value.result.lines[0]?.points[1]?.draws[0]?.accuracy);
    expect((JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as { format: string }).format).toBe('layers-model');
    const again = await cli(['--workspace', ws, 'probe', 'export', value.jobId, '--line', 'pixels', '--labels', '1', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty (4 entries); choose an empty or new folder, or give --force');

    // Ctrl+C cancels the job (an analysis cannot pause) and the command says so, exit 1.
    const long = startCli(['--workspace', ws, 'probe', '--run', 'tiny AE', '--labels', '1,5,10,50,all', '--draws', '10', '--modes', 'frozen,finetune']);
    await until(() => /^probe \d+\/\d+: /m.test(long.stderr()), 'the probe to make progress', 120_000);
    long.child.kill('SIGINT');
    const stopped = await long.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/stopping: cancelling probe \d{14}-[0-9a-f]{6}…/);
    expect(stopped.stderr).toMatch(/error cancelled: the probe \d{14}-[0-9a-f]{6} was cancelled \(Ctrl\+C\)/);
    const cancelledId = /cancelling probe (\S+)…/.exec(stopped.stderr)?.[1];
    const jobs = lastJson((await cli(['--workspace', ws, '--json', 'jobs'])).stdout) as Array<{ id: string; status: string }>;
    expect(jobs.find((j) => j.id === cancelledId)?.status).toBe('cancelled');
  }, 300_000);
});
