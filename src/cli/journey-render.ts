import type { operations } from '../../clients/ts/src';

type Journey = operations['getJourney']['responses'][200]['content']['application/json'];
type Finished = Journey['finished'][number];

/**
 * The journey as GET /v1/journeys/:campaign/:user answers it, from the typed
 * client's schema. `ending` and `runId` may be absent: servers before they were added did not send them.
 */
export type JourneyView = Omit<Journey, 'finished' | 'runId'> & Partial<Pick<Journey, 'runId'>> & { finished: Array<Omit<Finished, 'ending'> & Partial<Pick<Finished, 'ending'>>> };

const values = (v: Record<string, string>): string =>
  Object.entries(v)
    .map(([k, x]) => `${k} = ${x}`)
    .join(', ');

/** An end state needs no more words than its name; an exit says why, and where the path was. */
function finishedWords(f: JourneyView['finished'][number]): string {
  if (f.ending === 'end-state') return `ended in ${f.state} at ${f.endedAt}`;
  if (f.ending === 'exit') return `exited while in ${f.state} at ${f.endedAt} (${f.reason})`;
  return `ended in ${f.state} at ${f.endedAt} (${f.reason})`;
}

/** A journey for people: where each path is, what it waits for, what it got, and why each step was or was not taken. */
export function renderJourney(j: JourneyView): string[] {
  const out: string[] = [];
  out.push(`${j.campaignKey} v${j.campaignVersion} · user ${j.userId} · ${j.status}${j.endReason ? ` (${j.endReason})` : ''} · entries ${j.entries}`);
  // The run, for journeys retry, skip and exit --run-id: they then act on the journey as read here, not on a run started since.
  out.push(`workflow ${j.workflowId}${j.runId ? ` run ${j.runId}` : ''} (${j.temporalStatus})${j.temporalUrl ? ` ${j.temporalUrl}` : ''}`);
  if (j.paths.length) {
    out.push('', 'active paths:');
    for (const p of j.paths) {
      out.push(`  ${p.pathId} (entry ${p.entryNo}): in ${p.state} since ${p.stateEnteredAt}`);
      for (const t of p.timers) out.push(`    timer ${t.timerId} fires at ${t.fireAt}`);
      const aggregates = Object.entries(p.aggregates);
      if (aggregates.length) out.push(`    aggregates: ${aggregates.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')}`);
    }
  }
  if (j.finished.length) {
    out.push('', 'finished paths:');
    for (const f of j.finished) out.push(`  ${f.pathId} (entry ${f.entryNo}): ${finishedWords(f)}`);
  }
  if (j.held.length) {
    out.push('', 'held steps (kairos cannot go on until an operator retries or skips them):');
    // A step's summary starts with its id ("notify-crm: webhook ..."): said once.
    for (const h of j.held) out.push(`  ${h.pathId} ${h.stepId}: ${h.summary.startsWith(`${h.stepId}: `) ? h.summary.slice(h.stepId.length + 2) : h.summary}: ${h.error} (since ${h.since})`);
  }
  if (j.rewards.length) {
    out.push('', 'rewards:');
    for (const r of j.rewards) out.push(`  ${r.type} ${r.stepId} (${r.status}) caused by ${r.causedBy.join(', ') || '-'}`);
  }
  if (j.trace.length) {
    out.push('', 'decision trace (oldest first):');
    for (const t of j.trace) {
      out.push(`  ${t.at}  ${t.input}`);
      for (const n of t.notes) {
        out.push(`    ${n.pathId ? `${n.pathId}: ` : ''}${n.message}`);
        for (const c of n.candidates ?? []) {
          out.push(`      ${c.result ? 'fired  ' : 'not yet'} ${c.transition}`);
          for (const f of c.failed) out.push(`        failed: ${f.text}${Object.keys(f.values).length ? ` (${values(f.values)})` : ''}`);
        }
      }
    }
  }
  return out;
}
