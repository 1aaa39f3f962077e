// typescript-eslint flat config. src/core is the pure engine: the lint enforces that it imports
// neither VS Code nor anything that does I/O.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-test/', 'out/', 'node_modules/', 'test/fixtures/', '.vscode-test/', '.harness/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The activation benchmark's two tiny extensions are CommonJS, as VS Code loads them.
    files: ['bench/activation/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The review panel is browser code. It reaches the host only through the review protocol, reads
    // the Terraform types (and their import-free constants, such as the review order), and renders
    // with @vscode-elements/elements; nothing else.
    files: ['webview/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?![./]|@vscode-elements/elements/)',
              message: 'The webview may import only @vscode-elements/elements (and the shared core modules).',
            },
            {
              regex: '^(\\.\\./)+src/(?!core/review/protocol$|core/terraform/types$|core/terraform/attributePath$)',
              message: 'The webview may import only src/core/review/protocol.ts, src/core/terraform/attributePath.ts and src/core/terraform/types.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'node-pty', 'net', 'node:net', 'web-tree-sitter'].map((name) => ({
            name,
            message: 'src/core is pure: no VS Code, no I/O. Put adapters in src/node and inject them.',
          })),
        },
      ],
    },
  },
);
