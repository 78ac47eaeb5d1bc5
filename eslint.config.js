import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folder boundaries (STYLE.md): each folder is a runtime and may import only what that runtime has. */
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'zlib', 'stream', 'worker_threads'];
const nativeLibraries = ['sharp', 'ws', 'yauzl', '@tensorflow/*'];
// Relative imports name sibling folders without 'electron/', so the patterns match on the folder alone.
const hostFolders = ['**/main/**', '**/web/**', '**/cli/**', '**/preload/**'];

// Bare package names are matched exactly; anything with a wildcard or a slash as a path pattern.
const boundary = (message, specifiers) => {
  const names = specifiers.filter((s) => !s.includes('*') && !s.includes('/'));
  const group = specifiers.filter((s) => s.includes('*') || s.includes('/'));
  return {
    'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })), patterns: group.length > 0 ? [{ group, message }] : [] }],
  };
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.cache/**', '**/*.tmp.*'] },
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
  {
    files: ['shared/**'],
    rules: boundary('shared/ is plain TypeScript: no Node, DOM, Electron, tfjs or folder outside shared/', [
      ...nodeBuiltins, ...nativeLibraries, 'electron', 'vue', 'pinia', 'chart.js', '**/electron/**', '**/renderer/**',
    ]),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: boundary('renderer/ is untrusted UI: it imports only shared/ and UI libraries', [
      ...nodeBuiltins, ...nativeLibraries, 'electron', '**/electron/**',
    ]),
  },
  {
    files: ['electron/lab/**'],
    rules: boundary('electron/lab uses Node, never Electron, tfjs or a host', ['electron', '@tensorflow/*', '**/renderer/**', ...hostFolders]),
  },
  {
    files: ['electron/engine/**'],
    rules: boundary('electron/engine uses Node and tfjs, never Electron, a host or the renderer', ['electron', '**/renderer/**', ...hostFolders]),
  },
  {
    files: ['electron/web/**', 'electron/cli/**'],
    rules: boundary('this host runs under plain Node: no Electron, no tfjs, no renderer code', ['electron', '@tensorflow/*', '**/renderer/**']),
  },
  {
    files: ['electron/main/**'],
    rules: boundary('electron/main is a thin host: no tfjs, no renderer code', ['@tensorflow/*', '**/renderer/**']),
  },
  {
    files: ['electron/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: boundary('the sandboxed preload may use only electron and the contract', [...nodeBuiltins, ...nativeLibraries, '**/lab/**', '**/renderer/**']),
  },
);
