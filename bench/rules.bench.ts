/**
 * `npm run bench:rules`: the same 30 rules (bench/rules/rule-set.ts, each 2
 * to 4 comparisons over an order event and its user) evaluated by Kairos's
 * compiled conditions, json-rules-engine and json-logic-engine, in one run.
 *
 * First, agreement: all three evaluate every rule on every seeded random fact
 * set (BENCH_FACT_SETS, default 10,000); any disagreement prints the rule,
 * its translations and the facts, and the run fails (exit code 1).
 *
 * Then timing. Every engine gets the same rules and the same fact objects;
 * each is warmed up (BENCH_WARMUP_MS), then BENCH_ROUNDS rounds run each
 * engine for BENCH_ROUND_MS, the order rotating every round; the result is
 * the median per engine, in rule evaluations per second of this process's
 * CPU time (process.cpuUsage: on a shared machine wall time mostly measures
 * the neighbours; all three engines are CPU-bound in this thread, and the
 * CPU time of V8's helper threads, e.g. GC, counts against the engine that
 * caused it). What is timed:
 *
 * - Kairos: `compileCondition(rule)` once per rule, before timing; timed is
 *   `condition.evaluate(ctx)` for each rule, where `ctx` is the FactContext
 *   a journey builds once per event, here built once per fact set before
 *   timing around the fact set's own event and user objects.
 * - json-rules-engine: one Engine holding all 30 rules (built before timing,
 *   with its documented `pathResolver` option set to a plain dotted-path walk
 *   instead of the default JSONPath, a missing fact read as null);
 *   timed is `await engine.run(factSet)` per fact set, which evaluates all
 *   30 rules, as its users call it. It is async by design: that is its cost.
 * - json-logic-engine: `new LogicEngine().build(logic)` once per rule, before
 *   timing (its compiled form, generated JavaScript); timed is `fn(factSet)`
 *   for each rule.
 *
 * Every timed chunk's count of holding rules is checked against the agreed
 * verdicts. The last line is `rules: <N>x json-rules-engine, <M>x json-logic-engine`
 * (Kairos's median rate over each peer's); the targets are N >= 50, M >= 1.
 */
import { factSets, type FactSet } from './rules/fact-sets';
import { disagreements, jsonLogicRules, kairosContext, kairosRules, rulesEngine } from './rules/engines';
import { Measurer, median, type Contender } from './rules/measure';
import { RULES } from './rules/rule-set';
import { toJsonLogic, toRulesEngine } from './rules/translate';

const FACT_SETS = Number(process.env.BENCH_FACT_SETS ?? 10_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261130);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);

const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);

async function checkAgreement(sets: FactSet[]): Promise<number[]> {
  const started = Date.now();
  const every = Math.max(1, Math.floor(sets.length / 5));
  const { found, holdsPerSet, holds } = await disagreements(sets, {
    progress: (done) => {
      if (done % every === 0 || done === sets.length) console.log(`agreement: ${done}/${sets.length} fact sets`);
    },
  });
  if (found.length > 0) {
    for (const d of found) {
      console.error(`DISAGREEMENT on rule '${d.rule.name}': kairos ${d.kairos}, json-rules-engine ${d.jsonRulesEngine}, json-logic-engine ${d.jsonLogicEngine}`);
      console.error(`  rule (Kairos):         ${JSON.stringify(d.rule.when)}`);
      console.error(`  json-rules-engine:     ${JSON.stringify(toRulesEngine(d.rule))}`);
      console.error(`  json-logic-engine:     ${JSON.stringify(toJsonLogic(d.rule.when))}`);
      console.error(`  facts:                 ${JSON.stringify(d.facts)}`);
    }
    throw new Error(`the three engines disagree (first ${found.length} shown above)`);
  }
  const evaluations = sets.length * RULES.length;
  console.log(`agreement: all three agree on ${evaluations} evaluations (${sets.length} fact sets x ${RULES.length} rules; ${holds} hold) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return holdsPerSet;
}

function contenders(sets: FactSet[]): Contender[] {
  const ruleCount = RULES.length;
  const kairos = kairosRules();
  const contexts = sets.map(kairosContext);
  const logic = jsonLogicRules();
  const engine = rulesEngine();
  return [
    {
      name: 'kairos',
      chunkSize: 500,
      chunk: (from, to) => {
        let held = 0;
        for (let s = from; s < to; s++) {
          const ctx = contexts[s];
          for (let r = 0; r < ruleCount; r++) if (kairos[r].evaluate(ctx)) held++;
        }
        return held;
      },
    },
    {
      name: 'json-rules-engine',
      chunkSize: 20,
      chunk: async (from, to) => {
        let held = 0;
        for (let s = from; s < to; s++) held += (await engine.run(sets[s])).events.length;
        return held;
      },
    },
    {
      name: 'json-logic-engine',
      chunkSize: 500,
      chunk: (from, to) => {
        let held = 0;
        for (let s = from; s < to; s++) {
          const facts = sets[s];
          for (let r = 0; r < ruleCount; r++) if (logic[r](facts) === true) held++;
        }
        return held;
      },
    },
  ];
}

async function main(): Promise<void> {
  console.log(`rules: ${RULES.length} rules, ${FACT_SETS} fact sets (seed ${SEED}), ${ROUNDS} rounds of ${ROUND_MS} ms per engine`);
  const sets = factSets(FACT_SETS, SEED);
  const holdsPerSet = await checkAgreement(sets);

  const measurer = new Measurer(holdsPerSet, RULES.length);
  const engines = contenders(sets);
  for (const c of engines) {
    await measurer.rate(c, WARMUP_MS);
    console.log(`warm-up: ${c.name} done`);
  }
  const rates = new Map(engines.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so no engine always runs right after the same neighbour (or GC debt).
    const order = engines.map((_, i) => engines[(i + round) % engines.length]);
    for (const c of order) rates.get(c.name)!.push(await measurer.rate(c, ROUND_MS));
    console.log(`round ${round + 1}/${ROUNDS}: ${engines.map((c) => `${c.name} ${rate(rates.get(c.name)![round])}`).join(', ')} evaluations/s`);
  }
  const med = (name: string): number => median(rates.get(name)!);
  console.log('medians (rule evaluations per second):');
  for (const c of engines) console.log(`  ${c.name.padEnd(18)} ${rate(med(c.name)).padStart(8)}/s`);
  const n = med('kairos') / med('json-rules-engine');
  const m = med('kairos') / med('json-logic-engine');
  console.log(`targets: N >= 50 ${n >= 50 ? 'met' : 'MISSED'}, M >= 1 ${m >= 1 ? 'met' : 'MISSED'}`);
  console.log(`rules: ${n.toFixed(1)}x json-rules-engine, ${m.toFixed(2)}x json-logic-engine`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
