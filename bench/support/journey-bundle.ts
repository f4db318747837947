import path from 'node:path';

/**
 * The journey workflow bundle the proof runs use: built from the current
 * sources by `bundle-journey-workflows` at the start of every run, into a
 * file of their own, so a stale or concurrently rewritten
 * dist/workflow-bundle.js never decides what is measured.
 */
export const PROOF_WORKFLOW_BUNDLE = path.resolve(__dirname, '..', 'journey-workflow-bundle.js');
