/**
 * Timing for the rule bench: an engine evaluates the rule set over a slice
 * of the fact sets (a chunk), again and again, until a round's time is up.
 * Every chunk's count of holding rules is checked against the agreed
 * verdicts, so no engine can be timed doing less than the others (or an
 * optimiser dropping unused results).
 */
/**
 * CPU time of this process, in ms: the machine is shared, and wall time would
 * measure the neighbours as much as the engine. Every engine here is
 * CPU-bound in this one thread (json-rules-engine's promises included).
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Evaluates every rule on fact sets [from, to) and returns how many held. */
export type Chunk = (from: number, to: number) => number | Promise<number>;

export interface Contender {
  name: string;
  chunk: Chunk;
  /** Fact sets per chunk: big enough that the clock is read rarely, small enough to stop near the deadline. */
  chunkSize: number;
}

export class Measurer {
  /** prefix[s] = rules holding on fact sets [0, s). */
  private readonly prefix: number[];
  private offset = 0;

  constructor(holdsPerSet: readonly number[], private readonly ruleCount: number) {
    this.prefix = [0];
    for (const h of holdsPerSet) this.prefix.push(this.prefix[this.prefix.length - 1] + h);
  }

  private get sets(): number {
    return this.prefix.length - 1;
  }

  /** Runs `c` for at least `ms` of CPU time; returns rule evaluations per CPU second. */
  async rate(c: Contender, ms: number): Promise<number> {
    let evaluations = 0;
    const started = cpuMs();
    let elapsed = 0;
    do {
      const from = this.offset;
      const to = Math.min(from + c.chunkSize, this.sets);
      const held = await c.chunk(from, to);
      const expected = this.prefix[to] - this.prefix[from];
      if (held !== expected) throw new Error(`${c.name}: ${held} rules held on fact sets ${from}..${to - 1}, the agreed verdicts say ${expected}`);
      evaluations += (to - from) * this.ruleCount;
      this.offset = to === this.sets ? 0 : to;
      elapsed = cpuMs() - started;
    } while (elapsed < ms);
    return evaluations / (elapsed / 1000);
  }
}

export { median } from '../support/stats';
