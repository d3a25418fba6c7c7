// Flat config: files are selected here, not by shell globs on the command line,
// so no folder is silently skipped.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first: a module imports only from its own layer or a lower one
 * (CONTRIBUTING.md "Architecture"). errors.ts and lists.ts at the root are below everything.
 */
const LAYERS = ['oci', 'ports', 'context', 'inputs', 'run', 'stages', 'pipeline', 'cli', 'entries'];
const layerRules = LAYERS.map((layer, i) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: LAYERS.slice(i + 1).map((upper) => ({
          group: [`**/${upper}/**`, `../${upper}/*`],
          message: `src/${layer} is below src/${upper}: move the shared part down (CONTRIBUTING.md "Architecture")`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // one import order everywhere, fixed by `npx eslint --fix`; Prettier owns the layout
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: { 'simple-import-sort/imports': 'error', 'simple-import-sort/exports': 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // a file and a function read at once
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  ...layerRules,
  {
    files: ['src/errors.ts', 'src/lists.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\./[^/]+/', message: 'errors.ts and lists.ts are below every folder of src/' }] },
      ],
    },
  },
  {
    files: ['__tests__/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // last: turns off the style rules that Prettier's layout would fight
  prettier,
);
