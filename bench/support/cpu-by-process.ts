import { readdirSync, readFileSync } from 'node:fs';

type Group = 'kairos' | 'worker' | 'temporal' | 'postgres' | 'other';
/** CPU seconds used so far by each live process, with its group: this process, a worker process, the Temporal server, PostgreSQL, anything else. */
export type CpuSnapshot = Map<number, { group: Group; seconds: number }>;

const TICKS_PER_SECOND = 100;

/**
 * Reads /proc (Linux): every process's user and system time. A benchmark
 * takes one before and after a phase to show where its time went; elsewhere
 * (no /proc) it answers null and the benchmark prints nothing.
 */
export function cpuSnapshot(workerPid?: number): CpuSnapshot | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const snapshot: CpuSnapshot = new Map();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ...": comm may hold spaces; the fields after it are fixed.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const group: Group = Number(pid) === process.pid ? 'kairos' : Number(pid) === workerPid ? 'worker' : comm.startsWith('temporal') ? 'temporal' : comm.startsWith('postgres') ? 'postgres' : 'other';
    snapshot.set(Number(pid), { group, seconds });
  }
  return snapshot;
}

/**
 * Milliseconds of CPU per unit of work between two snapshots, by group, as
 * one line. Counts processes alive at the second snapshot (a process that
 * ended between the two, e.g. a closed PostgreSQL connection, is missed).
 */
export function cpuPerUnit(before: CpuSnapshot | null, after: CpuSnapshot | null, units: number, unit: string): string {
  if (!before || !after) return '';
  const totals: Record<Group, number> = { kairos: 0, worker: 0, temporal: 0, postgres: 0, other: 0 };
  for (const [pid, now] of after) totals[now.group] += Math.max(0, now.seconds - (before.get(pid)?.seconds ?? 0));
  const parts = (Object.keys(totals) as Group[]).filter((k) => k !== 'worker' || totals.worker > 0).map((k) => `${k} ${((totals[k] * 1000) / units).toFixed(2)}`);
  return `CPU ms per ${unit}: ${parts.join(', ')}`;
}
