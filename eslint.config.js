import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers: each folder is a runtime and may import only the folders (and libraries) its
 * row names. One table; the ESLint rules below are generated from it, and
 * scripts/eslintBoundaries.test.ts proves every refused arrow of it fails lint.
 */
export const layers = {
  // Plain TypeScript: the contract, domain types, the catalogue. Runs everywhere.
  shared: { may: [], runtime: 'plain' },
  // The lab's files on disk and the lab↔engine protocol: Node and zod, read by both sides.
  'electron/format': { may: ['shared'], runtime: 'node' },
  // The lab's services: workspace, import, the job queue, engine supervision.
  'electron/lab': { may: ['shared', 'electron/format'], runtime: 'node' },
  // The compute process: tfjs, training, analyses. Knows the lab only through electron/format.
  'electron/engine': { may: ['shared', 'electron/format'], runtime: 'tfjs' },
  // The engine's test data is the lab's own Shapes generator, so tests train on what users see.
  'electron/engine/testing': { may: ['shared', 'electron/format', 'electron/engine', 'electron/lab/datasets/builtin'], runtime: 'tfjs' },
  // Hosts: thin adapters that hand electron/lab to a UI or a terminal.
  'electron/web': { may: ['shared', 'electron/format', 'electron/lab'], runtime: 'node' },
  'electron/cli': { may: ['shared', 'electron/format', 'electron/lab', 'electron/web'], runtime: 'node' },
  'electron/main': { may: ['shared', 'electron/format', 'electron/lab'], runtime: 'electron' },
  'electron/preload': { may: ['shared'], runtime: 'preload' },
  // Untrusted UI: the contract and UI libraries only.
  renderer: { may: ['shared'], runtime: 'browser' },
};

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'zlib', 'stream', 'worker_threads'];
const nativeLibraries = ['sharp', 'ws', 'yauzl'];
const uiLibraries = ['vue', 'pinia', 'chart.js'];
/** What each runtime may not import from outside the project. */
const refusedLibraries = {
  plain: [...nodeBuiltins, ...nativeLibraries, '@tensorflow/*', 'electron', ...uiLibraries],
  node: ['@tensorflow/*', 'electron', ...uiLibraries],
  tfjs: ['electron', ...uiLibraries],
  electron: ['@tensorflow/*', ...uiLibraries],
  preload: [...nodeBuiltins, ...nativeLibraries, '@tensorflow/*', ...uiLibraries],
  browser: [...nodeBuiltins, ...nativeLibraries, '@tensorflow/*', 'electron'],
};

// Relative imports name a layer by its folder, so a pattern matches the folder's path below
// electron/ (or the root) wherever it stands in the specifier ('../../lab/x.js', '../lab/x.js').
const folderOf = (folder) => folder.replace(/^electron\//, '');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const within = (inner, outer) => inner === outer || inner.startsWith(`${outer}/`);

/** The no-restricted-imports rule of one layer: every other layer not in its row, and the libraries its runtime lacks. */
export function layerRule(name) {
  const { may, runtime } = layers[name];
  const refusedFolders = Object.keys(layers).filter((other) => !within(other, name) && !within(name, other) && !may.some((m) => within(other, m)));
  // A sub-layer may not reach back into the layer above it except where its row says so.
  const parents = Object.keys(layers).filter((other) => other !== name && within(name, other) && !may.includes(other));
  const folderRegex = (folder) => {
    // An allowed sub-folder of a refused layer (engine/testing → lab/datasets/builtin) is carved out.
    const carved = may.filter((m) => m !== folder && within(m, folder)).map((m) => `(?!${escape(m.slice(folder.length + 1))}/)`);
    return `(^|/)${escape(folderOf(folder))}/${carved.join('')}`;
  };
  const message = `${name} may import only ${may.length > 0 ? may.join(', ') : 'nothing of the project'} (the layer table in eslint.config.js)`;
  const libraries = refusedLibraries[runtime];
  const names = libraries.filter((s) => !s.includes('*') && !s.includes('/'));
  const group = libraries.filter((s) => s.includes('*') || s.includes('/'));
  const folders = [...refusedFolders, ...parents];
  return {
    'no-restricted-imports': ['error', {
      paths: names.map((n) => ({ name: n, message })),
      patterns: [
        ...(group.length > 0 ? [{ group, message }] : []),
        ...(folders.length > 0 ? [{ regex: folders.map(folderRegex).join('|'), message }] : []),
      ],
    }],
  };
}

const layerConfigs = Object.keys(layers)
  // Longer folders after shorter ones, so a sub-layer's row replaces its parent's.
  .sort((a, b) => a.length - b.length)
  .map((name) => ({
    files: [`${name}/**`],
    ...(layers[name].runtime === 'browser' || layers[name].runtime === 'preload' ? { languageOptions: { globals: { ...globals.browser } } } : {}),
    rules: layerRule(name),
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.cache/**', '**/*.tmp.*', '.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-indent': 'off',
    },
  },
  ...layerConfigs,
);
