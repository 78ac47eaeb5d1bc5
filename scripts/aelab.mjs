#!/usr/bin/env node
// Runs the CLI from the checkout (TypeScript through tsx) or from a build (dist/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/electron/cli/main.js');
let entry;
if (existsSync(join(root, 'electron/cli/main.ts'))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'electron/cli/main.ts');
} else entry = built;
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
