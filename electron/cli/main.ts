import { randomUUID } from 'node:crypto';
import { importOptionsSchema } from '../../shared/domain/dataset.js';
import { LabError, toErrorData } from '../../shared/result.js';
import { Lab } from '../lab/lab.js';
import { resolveWorkspacePath } from '../format/workspace/workspacePath.js';
import { parseCli, type CliArgs } from './args.js';
import { datasetsText, importJson, importText, infoText } from './output.js';

const usage = `aelab — Autoencoder Lab from the command line

usage: aelab [--workspace DIR] [--json] COMMAND …

commands:
  info                     version, workspace and compute backend
  datasets                 the workspace's datasets
  import PATH…             import a folder of images, a ZIP, IDX files, a CSV, NPY or NPZ
      --name NAME  --color auto|grayscale|rgb  --size HxW  --scaling unit|minmax|standardize|none
      --validation-fraction F  --test-fraction F  --seed N  --label-column NAME|INDEX
  train --dataset ID [--arch dense|linear|conv] [--objective plain|sparse|denoising|contractive|variational]
      [--latent D] [--epochs N] [--batch N] [--lr X] [--optimizer adam|sgd|rmsprop] [--loss mse|bce]
      [--patience N] [--seed N] [--param key=value …]   train a run in an engine process
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
  jobs                     every job: training runs, analyses, sweeps
  runs                     the workspace's runs
  eval RUN                 a run's test metrics
  serve [--port N] [--open] the lab in a browser, on 127.0.0.1
  bench                    import, training, decode and window benchmarks

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
  };
}

async function run(args: CliArgs, print: (text: string, json: unknown) => void): Promise<void> {
  const workspace = resolveWorkspacePath(typeof args.values.workspace === 'string' ? args.values.workspace : undefined);
  const lab = Lab.open({ workspace, host: 'cli' });
  switch (args.command) {
    case 'info': {
      const info = await lab.call('lab.info', {});
      return print(infoText(info), info);
    }
    case 'datasets': {
      const list = await lab.call('datasets.list', {});
      return print(datasetsText(list), list);
    }
    case 'import': {
      if (args.positionals.length === 0) throw new LabError('invalid-request', 'import needs at least one PATH');
      const parsed = importOptionsSchema.safeParse(optionsFrom(args.values));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new LabError('invalid-option', `--${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message ?? 'invalid'}`);
      }
      const report = await lab.call('datasets.importPaths', { importId: randomUUID(), paths: args.positionals, options: parsed.data });
      return print(importText(report), importJson(report));
    }
    case 'train': {
      const { trainCommand } = await import('./train.js');
      const results = await trainCommand(lab, args.values, args.values.json === true);
      for (const { text, value } of results) print(text, value);
      const failed = results.find(({ run }) => run.status === 'failed' || run.status === 'interrupted');
      if (failed) throw new LabError('internal', failed.run.error ?? `run ${failed.run.id} ${failed.run.status}`);
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
    case 'jobs': {
      const { jobsText } = await import('./jobsCommands.js');
      const jobs = await lab.call('jobs.list', {});
      return print(jobsText(jobs), jobs);
    }
    case 'presets': {
      const presets = await lab.call('presets.list', {});
      const lines = presets.map((p) => `${p.id.padEnd(36)} ${String(p.variants.length).padStart(8)}  ${p.name}`);
      return print(['id                                   variants  name', ...lines].join('\n'), presets);
    }
    case 'runs': {
      const runs = await lab.call('runs.list', {});
      const lines = runs.map((r) => `${r.id}  ${r.status.padEnd(13)} ${String(r.epoch).padStart(4)}/${r.epochs}  ${r.name}`);
      return print(runs.length === 0 ? 'No runs yet: aelab train --dataset shapes …' : ['id                     status         epoch  name', ...lines].join('\n'), runs);
    }
    case 'eval': {
      const id = args.positionals[0];
      if (!id) throw new LabError('invalid-request', 'eval needs a RUN id (see aelab runs)');
      const details = await lab.call('runs.get', { id });
      const m = details.evaluation;
      if (!m) throw new LabError('not-found', `run ${id} has no evaluation yet (it is ${details.run.status})`);
      const { evaluationText } = await import('./train.js');
      return print(evaluationText(id, m), { run: details.run, metrics: details.metrics, evaluation: m });
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
    await run(args, (text, value) => process.stdout.write(`${json ? JSON.stringify(value) : text}\n`));
    return 0;
  } catch (cause) {
    const error = cause instanceof TypeError && 'code' in cause ? { code: 'invalid-request' as const, message: cause.message } : toErrorData(cause);
    if (json) process.stdout.write(`${JSON.stringify({ error })}\n`);
    else process.stderr.write(`aelab: error ${error.code}: ${error.message}\n`);
    return 1;
  }
}
