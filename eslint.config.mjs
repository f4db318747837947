import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events',
  'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process',
  'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.kairos/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Build scripts run before anything is compiled: plain CommonJS on Node.
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Nest resolves constructor parameters from their runtime types, so these
    // files must keep value imports of injected classes.
    files: ['src/api/**/*.ts', 'src/app/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Workflow code is replayed: it may import only @temporalio/workflow, types
    // from activities, and the pure domain (relative paths).
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code must stay deterministic: no Node built-ins.' })),
        patterns: [
          { group: ['node:*'], message: 'Workflow code must stay deterministic: no Node built-ins.' },
          { group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg-*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code imports only @temporalio/workflow, activity types and src/domain.' },
          { group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Import activities with `import type` only.' },
          { group: ['../api/*', '../store/*', '../temporal/*', '../config/*'], message: 'Workflow code imports only @temporalio/workflow, activity types and src/domain.' },
        ],
      }],
    },
  },
  {
    // The domain is the pure functional core.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', '@temporalio/*', '@nestjs/*', 'typeorm', 'pg', ...nodeBuiltins], message: 'src/domain is pure: no I/O, no Temporal, no Nest.' },
        ],
      }],
    },
  },
);
