/**
 * The three evaluators of the rule set, built once from `RULES`:
 * Kairos's compiled conditions, a json-rules-engine Engine holding all the
 * rules, and json-logic-engine's compiled functions (`LogicEngine.build`).
 */
import { Engine } from 'json-rules-engine';
import { LogicEngine } from 'json-logic-engine';
import { compileCondition, type CompiledCondition, type FactContext } from '../../src/domain/conditions';
import type { FactSet } from './fact-sets';
import { RULES, type BenchRule } from './rule-set';
import { dottedPath, toJsonLogic, toRulesEngine } from './translate';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const noAggregates = (): null => null;

/**
 * The FactContext Kairos evaluates against: the fact set's own event and user
 * objects (not copies), plus the journey fields a context always carries.
 * Built once per fact set, before any timing, like the journey does once per event.
 */
export function kairosContext(facts: FactSet): FactContext {
  return {
    event: facts.event,
    user: facts.user,
    journey: { enteredAt: '2026-11-01T00:00:00Z', stateEnteredAt: '2026-11-01T00:00:00Z', entries: 1 },
    now: NOW,
    aggregate: noAggregates,
  };
}

export function kairosRules(rules: readonly BenchRule[] = RULES): CompiledCondition[] {
  return rules.map((rule) => {
    const out = compileCondition(rule.when, rule.name);
    if (!out.ok) throw new Error(`bench rule ${rule.name} does not compile: ${JSON.stringify(out.issues)}`);
    return out.value;
  });
}

export function jsonLogicRules(rules: readonly BenchRule[] = RULES): Array<(facts: FactSet) => boolean> {
  const engine = new LogicEngine();
  return rules.map((rule) => engine.build(toJsonLogic(rule.when)) as (facts: FactSet) => boolean);
}

/** One engine with every rule; its event type is the rule's index. */
export function rulesEngine(rules: readonly BenchRule[] = RULES): Engine {
  const engine = new Engine([], { pathResolver: dottedPath });
  rules.forEach((rule, i) => engine.addRule({ name: rule.name, conditions: toRulesEngine(rule), event: { type: String(i) } }));
  return engine;
}

/** Which rules hold for one fact set, in rule order, as json-rules-engine reports it. */
export async function rulesEngineVerdicts(engine: Engine, facts: FactSet, ruleCount: number): Promise<boolean[]> {
  const { events } = await engine.run(facts);
  const out = new Array<boolean>(ruleCount).fill(false);
  for (const e of events) out[Number(e.type)] = true;
  return out;
}

export interface Disagreement {
  rule: BenchRule;
  facts: FactSet;
  kairos: boolean;
  jsonRulesEngine: boolean;
  jsonLogicEngine: boolean;
}

export interface Agreement {
  /** The first disagreements, at most `limit`; empty when all three agree everywhere. */
  found: Disagreement[];
  /** How many rules hold, per fact set (Kairos's verdicts). */
  holdsPerSet: number[];
  holds: number;
}

/**
 * Evaluates every rule on every fact set with all three engines and compares
 * the verdicts. `progress` is called after each fact set with the count done.
 */
export async function disagreements(
  sets: readonly FactSet[],
  options: { limit?: number; rules?: readonly BenchRule[]; progress?: (done: number) => void } = {},
): Promise<Agreement> {
  const { limit = 5, rules = RULES, progress } = options;
  const kairos = kairosRules(rules);
  const logic = jsonLogicRules(rules);
  const jre = rulesEngine(rules);
  const found: Disagreement[] = [];
  const holdsPerSet: number[] = [];
  let holds = 0;
  for (const facts of sets) {
    const ctx = kairosContext(facts);
    const jreVerdicts = await rulesEngineVerdicts(jre, facts, rules.length);
    let here = 0;
    for (let i = 0; i < rules.length; i++) {
      const k = kairos[i].evaluate(ctx);
      const l = logic[i](facts) === true;
      if (k) here++;
      if ((k !== jreVerdicts[i] || k !== l) && found.length < limit) {
        found.push({ rule: rules[i], facts, kairos: k, jsonRulesEngine: jreVerdicts[i], jsonLogicEngine: l });
      }
    }
    holdsPerSet.push(here);
    holds += here;
    progress?.(holdsPerSet.length);
  }
  return { found, holdsPerSet, holds };
}
