// Two projects: `unit` runs pure tests beside their code in milliseconds;
// `integration` boots a real Temporal dev server and real PostgreSQL once
// (test/support/global-setup.ts) and gives each suite its own database.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // Slowest integration suites first, so two workers finish together (see the file).
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  // How long a worker has to exit once the run is over (default 500 ms). npm test restarts a worker whose
  // idle heap passed --workerIdleMemoryLimit; when that happens on the last file's memory report, the end
  // message goes to the fresh worker, which must boot and load jest's worker module before it can exit:
  // on a loaded 2-core machine that took longer than 500 ms, and Jest then reported a "worker that failed
  // to exit gracefully" with no handle left open (every suite's handles and Temporal runtime were checked
  // closed at its end). A worker that truly hangs is still force-exited and reported, 5 s later.
  workerGracefulExitTimeout: 5_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/console/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/src/fast-check.setup.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // testTimeout is not a project option; this file sets it for these suites.
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
  ],
};
