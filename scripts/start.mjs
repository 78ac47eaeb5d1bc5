#!/usr/bin/env node
// `npm start`: the Electron app where an Electron binary exists, else the browser host in a Chromium app window.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const electron = electronBinary();
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...(electron ? [] : ['--renderer'])], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = electron
  ? (console.log('Autoencoder Lab: starting the Electron app'), spawn(electron, [join(root, 'dist', 'electron', 'main', 'main.js'), ...args], { stdio: 'inherit' }))
  : (console.log('Autoencoder Lab: no Electron binary here, starting the browser host (open the URL below; Ctrl+C stops it)'),
    spawn(process.execPath, [join(root, 'scripts', 'aelab.mjs'), ...args, 'serve', '--open'], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
