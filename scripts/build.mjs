#!/usr/bin/env node
// Builds what the hosts load: the renderer (Vite), and unless --renderer, the Electron main process (tsc) and the preload bundle.
import { spawnSync } from 'node:child_process';

const rendererOnly = process.argv.includes('--renderer');
const steps = [['vite', 'build', '--logLevel', 'warn']];
if (!rendererOnly) steps.push(['tsc', '-b'], ['vite', 'build', '-c', 'vite.preload.config.ts', '--logLevel', 'warn']);
for (const step of steps) {
  const result = spawnSync('npx', ['--no-install', ...step], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
