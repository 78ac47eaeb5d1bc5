#!/usr/bin/env node
// Runs an engine entry point in its own Node process, from the checkout (tsx) or from a build.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], entry, ...rest];
const source = join(root, entry);
if (existsSync(source) && source.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else await import(pathToFileURL(join(root, 'dist', entry.replace(/\.ts$/, '.js'))).href);
