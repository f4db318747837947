import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** Every Node built-in (subpaths such as `fs/promises` included), with and without `node:`: exact names, since a pattern `domain` would match src/domain. */
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const noBuiltin = (message) => nodeBuiltins.map((name) => ({ name, message }));

/** Kairos layers a replayed workflow must never reach, at any depth of relative path. */
const notForWorkflows = ['api', 'store', 'temporal', 'config', 'provisioning', 'composition', 'ingest', 'observability'].flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);

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
    // No import cycles in src/: layers depend one way (a cycle once ran activities → gateway → workflow → activities).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Build scripts run before anything is compiled, and Jest loads its sequencer untransformed: plain CommonJS on Node.
    files: ['scripts/**/*.js', 'test/support/*.js'],
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
        paths: noBuiltin('Workflow code must stay deterministic: no Node built-ins.'),
        patterns: [
          { group: ['node:*'], message: 'Workflow code must stay deterministic: no Node built-ins.' },
          { group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg-*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/common', '@temporalio/common/*'], message: 'Workflow code imports only @temporalio/workflow, activity types and src/domain.' },
          { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities with `import type` only.' },
          { group: notForWorkflows, message: 'Workflow code imports only @temporalio/workflow, activity types and src/domain.' },
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
        paths: noBuiltin('src/domain is pure: no I/O, no Temporal, no Nest.'),
        patterns: [
          { group: ['node:*', '@temporalio/*', '@nestjs/*', 'typeorm', 'typeorm/*', 'pg'], message: 'src/domain is pure: no I/O, no Temporal, no Nest.' },
        ],
      }],
    },
  },
);
