#!/usr/bin/env node
/**
 * Provisions native TensorFlow for @tensorflow/tfjs-node without its install script
 * (which downloads an archive its host no longer serves): TensorFlow's C library comes
 * from the official tensorflow-cpu wheel on the Python package index, and tfjs-node's
 * binding is built from the sources in its npm package with node-gyp.
 *
 * Idempotent: the libraries and the built binding are cached outside node_modules
 * (~/.cache/autoencoder-lab), so `npm ci` costs a link and a check, not a download.
 * Where it cannot provision it says why in one line and exits 0: the lab then runs on
 * the wasm backend and says so.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { bindingPatchVersion, patchBindingSources } from './tfjs-binding-functions.mjs';

// 2.18.1: its wheel ships libtensorflow_cc.so.2 exporting the TF_/TFE_ C API that tfjs-node 4.22's
// binding calls, built for x86-64 with AVX; verified here end to end (build, load, ops, training).
// Later versions are untested with this binding; change it only with the ops test passing.
export const tensorflowVersion = '2.18.1';

const require = createRequire(import.meta.url);
const log = (line) => console.log(`provision-tensorflow: ${line}`);
const giveUp = (why) => {
  console.log(`provision-tensorflow: native TensorFlow not provisioned (${why}); the lab will train on the wasm backend`);
  process.exit(0);
};

if (process.env.AELAB_SKIP_TENSORFLOW === '1') giveUp('AELAB_SKIP_TENSORFLOW=1');
if (process.platform !== 'linux' || process.arch !== 'x64') giveUp(`no recipe for ${process.platform}-${process.arch} yet`);

let packageDir;
try {
  packageDir = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
} catch {
  giveUp('@tensorflow/tfjs-node is not installed');
}
const tfjsNodeVersion = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
const napiVersion = 8;
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'autoencoder-lab');
const libraryCache = join(cacheRoot, `tensorflow-${tensorflowVersion}`);
const bindingCache = join(cacheRoot, `tfjs-node-${tfjsNodeVersion}-tensorflow-${tensorflowVersion}-napi-v${napiVersion}-functions-v${bindingPatchVersion}`, 'tfjs_binding.node');
const libraries = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
const bindingTarget = join(packageDir, 'lib', `napi-v${napiVersion}`, 'tfjs_binding.node');
const depsLib = join(packageDir, 'deps', 'lib');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), error: result.error };
}

/** Downloads the wheel and keeps only the two libraries and the C headers. */
function fetchLibraries() {
  const python = ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version']).ok);
  if (!python) giveUp('no Python with pip to fetch the tensorflow-cpu wheel');
  mkdirSync(cacheRoot, { recursive: true });
  const work = mkdtempSync(join(cacheRoot, '.download-'));
  try {
    log(`downloading tensorflow-cpu ${tensorflowVersion} from the Python package index (about 230 MB, once)`);
    const download = run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--platform', 'manylinux2014_x86_64', '--python-version', '3.11', `tensorflow-cpu==${tensorflowVersion}`, '-d', work, '--quiet']);
    if (!download.ok) giveUp(`pip could not download tensorflow-cpu ${tensorflowVersion}: ${download.output.split('\n').at(-1)}`);
    log('extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers');
    const extract = run(python, ['-c', `
import os, re, sys, zipfile
work = sys.argv[1]
wheel = [f for f in os.listdir(work) if f.endswith('.whl')][0]
pattern = re.compile(r'tensorflow/(libtensorflow_(cc|framework)\\.so\\.2$|include/(tensorflow/c/|tensorflow/core/platform/|tsl/|xla/tsl/c/|xla/tsl/platform/))')
with zipfile.ZipFile(os.path.join(work, wheel)) as z:
    for name in z.namelist():
        if pattern.match(name):
            z.extract(name, os.path.join(work, 'out'))
`, work]);
    if (!extract.ok) giveUp(`could not extract the wheel: ${extract.output.split('\n').at(-1)}`);
    const staged = join(work, 'out', 'tensorflow');
    rmSync(libraryCache, { recursive: true, force: true });
    mkdirSync(join(work, 'final', 'lib'), { recursive: true });
    for (const library of libraries) renameSync(join(staged, library), join(work, 'final', 'lib', library));
    renameSync(join(staged, 'include'), join(work, 'final', 'include'));
    // One rename makes the cache entry appear whole or not at all.
    renameSync(join(work, 'final'), libraryCache);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts the libraries where the binding's rpath ($ORIGIN/../../deps/lib) finds them: hard links, else copies. */
function placeLibraries() {
  mkdirSync(depsLib, { recursive: true });
  for (const library of libraries) {
    const target = join(depsLib, library);
    rmSync(target, { force: true });
    try {
      linkSync(join(libraryCache, 'lib', library), target);
    } catch {
      copyFileSync(join(libraryCache, 'lib', library), target);
    }
  }
  // Names the linker looks for (-ltensorflow, -ltensorflow_framework) while building.
  for (const [name, target] of [['libtensorflow.so', 'libtensorflow_cc.so.2'], ['libtensorflow_framework.so', 'libtensorflow_framework.so.2']]) {
    if (existsSync(join(depsLib, name))) unlinkSync(join(depsLib, name));
    symlinkSync(target, join(depsLib, name));
  }
}

function buildBinding() {
  const nodeGyp = process.env.npm_config_node_gyp ?? ['/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js', join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')].find(existsSync);
  if (!nodeGyp || !existsSync(nodeGyp)) giveUp('node-gyp (bundled with npm) not found');
  const nodedir = process.env.npm_config_nodedir ?? dirname(dirname(process.execPath));
  if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) giveUp(`Node's headers are not under ${nodedir}/include/node (set npm's nodedir)`);
  rmSync(join(packageDir, 'deps', 'include'), { recursive: true, force: true });
  cpSync(join(libraryCache, 'include'), join(packageDir, 'deps', 'include'), { recursive: true });
  try {
    patchBindingSources(packageDir);
  } catch (cause) {
    giveUp(`tfjs-node's binding sources are not the ones this patch knows: ${cause.message}`);
  }
  log(`building tfjs-node ${tfjsNodeVersion}'s binding (with addFunctionDef) against TensorFlow ${tensorflowVersion} with node-gyp`);
  const build = run(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--module_name=tfjs_binding', `--module_path=lib/napi-v${napiVersion}`, `--napi_build_version=${napiVersion}`, '-j', '2'], { cwd: packageDir });
  if (!build.ok) giveUp(`the binding did not build: ${build.output.split('\n').filter((l) => /error/i.test(l)).slice(0, 2).join(' | ') || build.output.split('\n').at(-1)}`);
  mkdirSync(dirname(bindingCache), { recursive: true });
  copyFileSync(join(packageDir, 'build', 'Release', 'tfjs_binding.node'), `${bindingCache}.tmp`);
  renameSync(`${bindingCache}.tmp`, bindingCache);
  rmSync(join(packageDir, 'build'), { recursive: true, force: true });
}

/** Loads the backend in a fresh process and runs an op: the only proof that counts. */
function verify() {
  const check = run(process.execPath, ['-e', `
const tf = require('@tensorflow/tfjs-node');
const a = tf.tensor2d([[1, 2], [3, 4]]);
const product = a.matMul(a).arraySync();
if (tf.getBackend() !== 'tensorflow' || JSON.stringify(product) !== '[[7,10],[15,22]]') process.exit(1);
if (typeof tf.backend().binding.addFunctionDef !== 'function') { console.log('the binding has no addFunctionDef'); process.exit(1); }
console.log('ok ' + tf.getBackend());
`], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, cwd: dirname(dirname(dirname(packageDir))) });
  return check.ok && check.output.includes('ok tensorflow') ? { ok: true } : { ok: false, why: check.output.split('\n').at(-1) || String(check.error) };
}

if (!existsSync(join(libraryCache, 'lib', libraries[0]))) fetchLibraries();
else log(`TensorFlow ${tensorflowVersion} libraries cached in ${libraryCache}`);
placeLibraries();
if (existsSync(bindingCache)) log('binding cached from an earlier build');
else buildBinding();
mkdirSync(dirname(bindingTarget), { recursive: true });
copyFileSync(bindingCache, bindingTarget);
const verdict = verify();
if (!verdict.ok) giveUp(`the built backend did not load and run an op: ${verdict.why}`);
log(`native TensorFlow ${tensorflowVersion} ready: tfjs-node loads and runs ops on the 'tensorflow' backend`);
