// Lint: the recommended JavaScript and TypeScript rules, plus the layering rules of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (name, forbidden) => ({
  files: [`${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((f) => ({ group: [`../${f}/*`, `../../${f}/*`, `../${f}`, `../../${f}`], message: `${name}/ must not import ${f}/ (layers import only downwards)` })) }],
  },
});

/** A sub-folder of `parent`: the layer's own rule (`parentForbidden`) plus the siblings it must not import. */
const subfolder = (parent, parentForbidden, dir, siblings) => ({
  files: [`${parent}/${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...layer(parent, parentForbidden).rules['no-restricted-imports'][1].patterns,
          ...siblings.map((f) => ({ group: [`../${f}/*`, `../${f}`], message: `${parent}/${dir}/ must not import ${parent}/${f} (sub-folders import only downwards)` })),
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/vendor/**', 'test-artifacts/**', 'run/**', 'db/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', fetch: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortSignal: 'readonly', globalThis: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['scripts/**/*.mjs', 'bench/**/*.mjs'], languageOptions: { globals: { argv: 'readonly', echo: 'readonly', $: 'readonly', chalk: 'readonly', fs: 'readonly', path: 'readonly', sleep: 'readonly', within: 'readonly', spinner: 'readonly' } } },
  layer('network', ['gate', 'module', 'feed', 'core_func', 'emulator', 'state']),
  layer('gate', ['module', 'feed', 'core_func', 'emulator', 'state']),
  layer('feed', ['module', 'gate', 'network', 'emulator']),
  layer('core_func', ['module', 'feed', 'gate', 'network', 'emulator']),
  layer('common', ['network', 'gate', 'module', 'feed', 'core_func', 'emulator', 'state']),
  layer('state', ['network', 'gate', 'module', 'feed', 'core_func', 'emulator']),
  layer('module', ['emulator']),
  // Inside module/: session/ <- http/ <- cluster/ <- bridge.ts (the composition root).
  subfolder('module', ['emulator'], 'session', ['http', 'cluster', 'bridge']),
  subfolder('module', ['emulator'], 'http', ['cluster', 'bridge']),
);
