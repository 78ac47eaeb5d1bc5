import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnxFileNames, type ReplyOf } from '../../shared/contract/labApi.js';
import { formatBytes } from '../../shared/format.js';
import { LabError } from '../../shared/result.js';
import type { Lab } from '../lab/lab.js';
import type { CliArgs } from './args.js';
import { safeName } from './output.js';
import { resolveRuns } from './probeCommand.js';

/** What `aelab export` needs of a lab: the contract's reads (it works on a read-only workspace), and to close the model process it started. */
export type ExportRunLab = Pick<Lab, 'call'> & { models: Pick<Lab['models'], 'close'> };

const exportFlags = new Set<string>(['workspace', 'json', 'help', 'run', 'onnx', 'force']);

const exists = (path: string) => stat(path).then(
  (s) => s,
  (cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT') return null;
    throw cause;
  },
);

/**
 * The folder the export may write into: a new one, or one that holds none of the export's
 * files; a file of the same name there is the user's, and is replaced only with `force`.
 */
export async function checkOnnxFolder(dir: string, force: boolean): Promise<void> {
  const found = await exists(dir);
  if (found && !found.isDirectory()) throw new LabError('invalid-option', `--onnx: '${safeName(dir)}' is a file, not a folder`);
  if (!found || force) return;
  const present = (await Promise.all(onnxFileNames.map(async (name) => ((await exists(join(dir, name))) ? name : null)))).filter((name) => name !== null);
  if (present.length > 0) {
    throw new LabError('invalid-option', `--onnx: '${safeName(join(dir, present[0] ?? ''))}' exists already${present.length > 1 ? ` (and ${present.slice(1).join(', ')})` : ''}; choose another folder, or give --force to replace ${present.length > 1 ? 'them' : 'it'}`);
  }
}

/** Writes the export's files into `dir` (made if missing); their paths and sizes, in the export's order. */
export async function writeOnnxExport(dir: string, exported: ReplyOf<'runs.exportOnnx'>): Promise<{ name: string; path: string; bytes: number }[]> {
  await mkdir(dir, { recursive: true });
  const written = [];
  for (const file of exported.files) {
    const path = join(dir, file.name);
    await writeFile(path, file.bytes);
    written.push({ name: file.name, path, bytes: file.bytes.byteLength });
  }
  return written;
}

/** `aelab export --run R --onnx DIR [--force]`: a trained run's encoder and decoder as ONNX models. */
export async function exportCommand(lab: ExportRunLab, positionals: string[], values: CliArgs['values']): Promise<{ text: string; value: unknown }> {
  const stray = Object.keys(values).find((flag) => values[flag] !== undefined && values[flag] !== false && !exportFlags.has(flag));
  if (stray !== undefined) throw new LabError('invalid-option', `--${stray} does not apply to aelab export --run R --onnx DIR`);
  if (positionals.length > 0) throw new LabError('invalid-request', `export takes its run as --run ID|NAME; '${safeName(positionals[0] ?? '')}' was given`);
  const refs = Array.isArray(values.run) ? values.run : [];
  if (refs.length !== 1) throw new LabError('invalid-option', `export needs one trained run: --run ID|NAME (see aelab runs); ${refs.length} were given`);
  const dir = values.onnx;
  if (typeof dir !== 'string' || dir.trim() === '') throw new LabError('invalid-option', '--onnx DIR is needed: the folder to write encoder.onnx, decoder.onnx and README.md into');
  const [run] = resolveRuns(refs, await lab.call('runs.list', {}));
  if (!run) throw new LabError('not-found', '--run: no such run');
  // Refused before the engine is asked: a user's file is never the price of a typo.
  await checkOnnxFolder(dir, values.force === true);
  let exported: ReplyOf<'runs.exportOnnx'>;
  try {
    exported = await lab.call('runs.exportOnnx', { id: run.id });
  } finally {
    // The model process the export started would keep the command from ever exiting.
    lab.models.close(run.id);
  }
  const written = await writeOnnxExport(dir, exported);
  const text = [
    `Exported run ${run.id} ('${safeName(run.name)}') as ONNX (opset ${exported.opset}) to ${safeName(dir)}:`,
    ...written.map((f) => `  ${safeName(f.path)}  (${formatBytes(f.bytes)})`),
    'README.md there names the inputs and outputs and their shapes; the models open in Netron and run in onnxruntime.',
  ].join('\n');
  return { text, value: { runId: run.id, name: run.name, opset: exported.opset, dir, files: written } };
}
