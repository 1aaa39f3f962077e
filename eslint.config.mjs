// typescript-eslint flat config. src/core is the pure engine: the lint enforces that it imports
// neither VS Code nor anything that does I/O.
import js from '@eslint/js';
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
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
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
