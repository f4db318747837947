import fc from 'fast-check';

/**
 * Property tests run with a fixed seed so CI is repeatable; `FC_SEED=random`
 * (or any number) explores further, and a failure prints the seed to replay.
 */
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261121);
fc.configureGlobal({ seed });
