import { randomUUID } from 'node:crypto';
import { importOptionsSchema } from '../../shared/domain/dataset.js';
import { LabError, toErrorData } from '../../shared/result.js';
import { firstIssueSentence } from '../../shared/contract/userMessages.js';
import { openWorkspace, type OpenedWorkspace } from '../lab/owner/openWorkspace.js';
import { resolveWorkspacePath } from '../format/workspace/workspacePath.js';
import { parseCli, type CliArgs } from './args.js';
import { datasetsText, importJson, importText, infoText, safeName, terminalSafe } from './output.js';

const usage = `aelab — Autoencoder Lab from the command line

usage: aelab [--workspace DIR] [--json] COMMAND …

commands:
  info                     version, workspace and compute backend
  datasets                 the workspace's datasets
  import PATH…             import a folder of images, a ZIP, IDX files, a CSV, NPY or NPZ
      --name NAME  --color auto|grayscale|rgb  --size HxW  --scaling unit|minmax|standardize|none
      --validation-fraction F  --test-fraction F  --seed N  --label-column NAME|INDEX
      --patches [--patch-stride N] [--patches-per-image N]   cut each image into patches of --size
                           (default 32x32, side by side, at most 64 per image) instead of resizing it
  train --dataset ID [--task reconstruct|colorize|inpaint] [--arch dense|linear|conv] [--objective plain|sparse|denoising|contractive|variational]
      [--latent D] [--epochs N] [--batch N] [--lr X] [--optimizer adam|sgd|rmsprop] [--loss mse|bce]
      [--patience N] [--seed N] [--param key=value …]   train a run in an engine process
      [--normal-classes 0,2,5|NAME,…]   train on those classes only (what is normal to an anomaly detector)
  train --dataset ID --preset ID [--epochs N] [--batch N] [--lr X] [--seed N]
                           train every variant of a lecture experiment or saved configuration
  presets                  the lecture's experiments and the saved configurations
  sweep --dataset ID …     train flags where a comma list is swept: --latent 2,4,8  --arch dense,conv
      --param level=0.1,0.3 (a list hyperparameter: --param hiddenWidths=256,64;512,128); one job
  pca --dataset ID [--k 2,4,8]   PCA of the training split: explained variance and test MSE per k
  evaluate RUN             evaluate a trained run again (new diagnostics for an older run), as a job
  angles RUN               a linear autoencoder's principal angles to PCA's subspace, and its error gap
  robustness RUN… [--corruption gaussian|masking|salt-and-pepper] [--levels 0,0.1,0.3] [--samples N]
                           test error under corruption at test time, per run and for PCA-k
  anomaly RUN… [--anomalies other|classes:3,4|dataset:ID[:classes]] [--no-pca] [--mc-samples N]
                           how well each run's reconstruction error (−ELBO for a VAE) finds anomalies:
                           AUROC and average precision per score, PCA-k beside them
  anomaly --dataset ID --one-class all|0,3,7 [train flags]   the one-class benchmark: one model per class
                           as one sweep job, each scored on the whole test split; the per-class AUROC table
  anomaly --sweep JOB      score a one-class sweep's trained runs (resuming it first if it was stopped)
  probe --run R [--run R2 …] [--labels 1,5,10,50,100,1000,all] [--draws 5] [--modes frozen,finetune]
      [--baselines pixels,pca,scratch|none] [--head softmax|mlp] [--hidden 128] [--no-knn] [--lr X]
      [--encoder-lr-factor X] [--max-epochs N] [--max-steps N] [--patience N] [--batch N] [--seed N] [--no-keep]
                           classifiers on few labels per class on each run's codes (frozen) or fine-tuned
                           encoder, against pixels, PCA-k and the encoder from scratch: test accuracy per count
  probe export JOB --line LINE --labels N --out DIR [--force]
                           a kept classifier of a probe as TensorFlow.js layers files, with how to load it
  export --run R --onnx DIR [--force]
                           a trained run's encoder and decoder as ONNX models (opset 17) with a README
                           of their inputs, outputs and shapes; files already in DIR are kept unless --force
  jobs                     every job: training runs, analyses, sweeps
  jobs pause|resume|cancel JOB   a job, a sweep as a whole; through the process that owns the workspace
  runs                     the workspace's runs
  check [--repair]         damaged items and leftovers of the workspace, datasets checked against their
                           stored hashes; --repair moves damaged items to a quarantine folder (deletes nothing)
  resume RUN | cancel RUN | delete RUN
                           continue a stopped run (trained here to its end), cancel or delete one; through
                           the process that owns the workspace (the browser host) when one is running
  eval RUN                 a run's test metrics
  serve [--port N] [--open] the lab in a browser, on 127.0.0.1
  bench [renderer]         import, training, decode and window benchmarks; 'renderer': the decode and window ones alone

--workspace DIR (or $AELAB_WORKSPACE) chooses the workspace; --json prints machine-readable JSON.`;

function optionsFrom(values: CliArgs['values']): unknown {
  const number = (key: string): number | undefined => (typeof values[key] === 'string' ? Number(values[key]) : undefined);
  const size = typeof values.size === 'string' ? values.size.split(/[x×,]/).map(Number) : undefined;
  const label = values['label-column'];
  return {
    name: values.name,
    color: values.color,
    size,
    scaling: values.scaling,
    validationFraction: number('validation-fraction'),
    testFraction: number('test-fraction'),
    seed: number('seed'),
    labelColumn: typeof label === 'string' && /^\d+$/.test(label) ? Number(label) : label,
    patches: values.patches,
    patchStride: number('patch-stride'),
    patchesPerImage: number('patches-per-image'),
  };
}

/** An import option named as it is typed: `validationFraction` is `--validation-fraction`. */
const optionFlag = (path: readonly PropertyKey[]): string | undefined => (path.length === 1 ? `--${String(path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : undefined);

async function run(args: CliArgs, print: (text: string, json: unknown) => void): Promise<void> {
  const workspace = resolveWorkspacePath(typeof args.values.workspace === 'string' ? args.values.workspace : undefined);
  const opened = await openWorkspace({ workspace, host: 'cli' });
  try {
    await command(args, opened, print);
  } finally {
    await opened.close();
  }
}

async function command(args: CliArgs, opened: OpenedWorkspace, print: (text: string, json: unknown) => void): Promise<void> {
  const { lab, owner } = opened;
  // Said once where nothing answers for the owner: what this process sees, it only reads.
  if (opened.access.mode === 'read-only' && !owner && args.values.json !== true) process.stderr.write(`aelab: note: the workspace is open read-only because ${safeName(opened.access.reason ?? 'it cannot be written')}\n`);
  switch (args.command) {
    case 'info': {
      const info = await lab.call('lab.info', {});
      return print(infoText(info), info);
    }
    case 'datasets': {
      const list = await lab.call('datasets.list', {});
      const { damagedNote, damagedOf } = await import('./checkCommand.js');
      const damaged = await damagedOf(lab, ['dataset', 'file'], args.values.json === true);
      return print(`${datasetsText(list)}${damagedNote(damaged)}`, list);
    }
    case 'import': {
      if (args.positionals.length === 0) throw new LabError('invalid-request', 'import needs at least one PATH');
      const options = optionsFrom(args.values);
      const parsed = importOptionsSchema.safeParse(options);
      if (!parsed.success) throw new LabError('invalid-option', firstIssueSentence(parsed.error, options, optionFlag, 'The options'));
      const { importCommand } = await import('./importCommand.js');
      const report = await importCommand(lab, { importId: randomUUID(), paths: args.positionals, options: parsed.data });
      return print(importText(report), importJson(report));
    }
    case 'train': {
      const { trainCommand } = await import('./train.js');
      const results = await trainCommand(lab, args.values, args.values.json === true, owner);
      for (const { text, value } of results) print(text, value);
      const failed = results.find(({ run }) => run.status !== 'completed' && run.status !== 'early-stopped');
      if (failed) throw new LabError(failed.run.status === 'cancelled' ? 'cancelled' : 'internal', failed.run.error ?? `run ${failed.run.id} ${failed.run.status}`);
      return;
    }
    case 'sweep': {
      const { sweepCommand } = await import('./jobsCommands.js');
      const { text, value, job } = await sweepCommand(lab, args.values, args.values.json === true);
      print(text, value);
      if (job.status === 'failed' || job.status === 'interrupted') throw new LabError(job.error?.code ?? 'internal', job.error?.message ?? `sweep ${job.id} ${job.status}`);
      return;
    }
    case 'pca': {
      const { pcaCommand } = await import('./jobsCommands.js');
      const { text, value } = await pcaCommand(lab, args.values);
      return print(text, value);
    }
    case 'evaluate': {
      const { evaluateCommand } = await import('./jobsCommands.js');
      const { text, value } = await evaluateCommand(lab, args.positionals);
      return print(text, value);
    }
    case 'angles': {
      const { anglesCommand } = await import('./jobsCommands.js');
      const { text, value } = await anglesCommand(lab, args.positionals);
      return print(text, value);
    }
    case 'robustness': {
      const { robustnessCommand } = await import('./jobsCommands.js');
      const { text, value } = await robustnessCommand(lab, args.positionals, args.values);
      return print(text, value);
    }
    case 'anomaly': {
      const { anomalyCommand } = await import('./anomalyCommand.js');
      const { text, value } = await anomalyCommand(lab, args.positionals, args.values, args.values.json === true);
      return print(text, value);
    }
    case 'probe': {
      const { probeCommand } = await import('./probeCommand.js');
      const { text, value } = await probeCommand(lab, args.positionals, args.values, args.values.json === true);
      return print(text, value);
    }
    case 'export': {
      const { exportCommand } = await import('./exportCommand.js');
      const { text, value } = await exportCommand(lab, args.positionals, args.values);
      return print(text, value);
    }
    case 'jobs': {
      const action = args.positionals[0];
      if (action === 'pause' || action === 'resume' || action === 'cancel') {
        const { jobControlCommand } = await import('./jobControl.js');
        const { text, value, failure } = await jobControlCommand(opened, action, args.positionals.slice(1), args.values.json === true);
        print(text, value);
        if (failure) throw failure;
        return;
      }
      if (action !== undefined) throw new LabError('invalid-request', `jobs takes no argument, or pause|resume|cancel JOB; '${safeName(action)}' was given`);
      const { jobsText } = await import('./jobsCommands.js');
      const jobs = await lab.call('jobs.list', {});
      return print(jobsText(jobs), jobs);
    }
    case 'presets': {
      const presets = await lab.call('presets.list', {});
      const lines = presets.map((p) => `${p.id.padEnd(36)} ${String(p.variants.length).padStart(8)}  ${safeName(p.name)}`);
      return print(['id                                   variants  name', ...lines].join('\n'), presets);
    }
    case 'runs': {
      const runs = await (owner ?? lab).call('runs.list', {});
      // A control on its way shows in place of the status it will change ("pausing…").
      const lines = runs.map((r) => `${r.id}  ${(r.pendingControl ? `${r.pendingControl}…` : r.status).padEnd(13)} ${String(r.epoch).padStart(4)}/${r.epochs}  ${safeName(r.name)}`);
      const { damagedNote, damagedOf } = await import('./checkCommand.js');
      const damaged = await damagedOf(owner ?? lab, ['run'], args.values.json === true);
      return print(`${runs.length === 0 && damaged.length === 0 ? 'No runs yet: aelab train --dataset shapes …' : ['id                     status         epoch  name', ...lines].join('\n')}${damagedNote(damaged)}`, runs);
    }
    case 'check': {
      const { checkCommand } = await import('./checkCommand.js');
      const { text, value, remaining } = await checkCommand(owner ?? lab, args.values.repair === true);
      print(text, value);
      if (remaining > 0) throw new LabError('corrupt-file', `${remaining} damaged item${remaining === 1 ? '' : 's'} in the workspace${args.values.repair === true ? ' could not be moved' : '; aelab check --repair moves them to quarantine'}`);
      return;
    }
    case 'resume':
    case 'cancel':
    case 'delete': {
      const { runCommand } = await import('./runCommands.js');
      const { text, value, run } = await runCommand(args.command, opened, args.positionals, args.values.json === true);
      print(text, value);
      if (args.command === 'resume' && !owner && run && run.status !== 'completed' && run.status !== 'early-stopped') throw new LabError(run.status === 'cancelled' ? 'cancelled' : 'internal', run.error ?? `run ${run.id} ${run.status}`);
      return;
    }
    case 'eval': {
      const id = args.positionals[0];
      if (!id) throw new LabError('invalid-request', 'eval needs a RUN id (see aelab runs)');
      const details = await lab.call('runs.get', { id });
      const m = details.evaluation;
      if (!m) throw new LabError('not-found', `run ${id} has no evaluation yet (it is ${details.run.status})`);
      const { evaluationText } = await import('./train.js');
      const notice = details.metricsNotice ? `\nnote: ${safeName(details.metricsNotice)}` : '';
      return print(`${evaluationText(id, m)}${notice}`, { run: details.run, metrics: details.metrics, metricsNotice: details.metricsNotice ?? null, evaluation: m });
    }
    case 'serve': {
      const { serveCommand } = await import('./serve.js');
      return serveCommand(lab, args, print);
    }
    case 'bench': {
      const { benchCommand } = await import('./bench.js');
      return benchCommand(args, print);
    }
    case undefined:
      if (args.values.help) return print(usage, { usage });
      throw new LabError('invalid-request', `no command given\n\n${usage}`);
    default:
      throw new LabError('invalid-request', `unknown command '${args.command}'\n\n${usage}`);
  }
}

/** Entry point: never a stack trace for a user's mistake; the error's code and message, exit 1. */
export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const args = parseCli(argv);
    json = args.values.json === true;
    await run(args, (text, value) => process.stdout.write(`${json ? JSON.stringify(value) : terminalSafe(text)}\n`));
    return 0;
  } catch (cause) {
    const error = cause instanceof TypeError && 'code' in cause ? { code: 'invalid-request' as const, message: cause.message } : toErrorData(cause);
    if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
    else process.stderr.write(`aelab: error ${error.code}: ${terminalSafe(error.message)}\n`);
    return 1;
  }
}
