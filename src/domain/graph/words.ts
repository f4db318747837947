/**
 * Triggers said in words for the graph's and the canvas's labels (CONSOLE.md:
 * "labelled by their trigger in words"), beside durationInWords
 * (src/domain/durations.ts). Pure, and safe in the browser: no Node built-ins.
 */

/** How an action group runs, in words (CAMPAIGNS.md, "Actions and rewards"). */
export const STRATEGY_WORDS: Readonly<Record<string, string>> = {
  parallel: 'all at once',
  serial: 'in order',
  priority: 'first that succeeds',
};

/** A split branch's share (CAMPAIGNS.md: at random by weight, fixed per journey): "30% of users". */
export function shareInWords(weight: number, total: number): string {
  const p = total > 0 ? (weight / total) * 100 : 0;
  // Whole percents when they are; one decimal otherwise; a share too small for that is said as such, never as 0%.
  const text = Number.isInteger(p) ? String(p) : p > 0 && p < 0.1 ? 'under 0.1' : p > 99.9 && p < 100 ? 'over 99.9' : String(Number(p.toFixed(1)));
  return `${text}% of users`;
}

/** An unconditional immediate transition's label, on the campaign graph and on the canvas alike. */
export const RIGHT_AWAY = 'right away';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as the campaign's people read it: local time in `timeZone`,
 * the zone named ("1 Dec 2026, 09:00 (Asia/Shanghai)"); seconds only when
 * there are some. An unknown zone says the time in UTC, and says so. A
 * number no date has (past ±8.64e15 ms, NaN) is said as the number: the
 * canvas draws `at`s as they are typed, and a throw there would take the
 * editor and its unsaved draft down.
 */
export function instantInWords(ms: number, timeZone: string): string {
  if (Number.isNaN(new Date(ms).getTime())) return String(ms);
  let zone = timeZone;
  let parts: Record<string, string>;
  try {
    parts = localParts(ms, zone);
  } catch {
    zone = 'UTC';
    parts = localParts(ms, zone);
  }
  const seconds = parts.second !== '00' ? `:${parts.second}` : '';
  return `${Number(parts.day)} ${MONTHS[Number(parts.month) - 1].slice(0, 3)} ${parts.year}, ${parts.hour}:${parts.minute}${seconds} (${zone})`;
}

function localParts(ms: number, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/**
 * A 5-field cron expression in words for the shapes campaigns use ("every
 * Monday at 09:00", "every day at 08:30", "on the 1st of every month at
 * 10:00", "every 15 minutes"); null for any other (the caller then shows
 * the cron text itself), so a schedule is never said wrong.
 */
export function cronInWords(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields;
  // A step restarts at each hour (minutes) or each day (hours): */45 runs at
  // :00 and :45, so only a step that divides the period is "every n".
  const every = (f: string, period: number) => {
    const m = /^\*\/(\d+)$/.exec(f);
    const n = m ? Number(m[1]) : NaN;
    return n >= 1 && n < period && period % n === 0 ? n : null;
  };
  const rest = `${dom} ${month} ${dow}`;
  if (rest === '* * *') {
    if (minute === '*' && hour === '*') return 'every minute';
    const minutes = every(minute, 60);
    if (minutes !== null && hour === '*') return minutes === 1 ? 'every minute' : `every ${minutes} minutes`;
    const m = single(minute, 0, 59);
    if (m !== null && hour === '*') return m === 0 ? 'every hour, on the hour' : `every hour at ${m} minutes past`;
    const hours = every(hour, 24);
    if (m !== null && hours !== null) return `every ${hours === 1 ? 'hour' : `${hours} hours`}${m === 0 ? '' : ` at ${m} minutes past`}`;
  }
  const m = single(minute, 0, 59);
  const hours = list(hour, 0, 23);
  if (m === null || hours === null) return null;
  const at = `at ${and(hours.map((h) => `${pad(h)}:${pad(m)}`))}`;
  if (rest === '* * *') return `every day ${at}`;
  if (dom === '*' && month === '*') {
    const days = dayRanges(dow);
    return days === null ? null : `every ${days} ${at}`;
  }
  const dates = list(dom, 1, 31);
  if (dates === null || dow !== '*') return null;
  if (month === '*') return `on the ${and(dates.map(ordinal))} of every month ${at}`;
  const months = list(month, 1, 12);
  if (months === null || months.length !== 1 || dates.length !== 1) return null;
  return `every year on ${dates[0]} ${MONTHS[months[0] - 1]} ${at}`;
}

/** A plain number in [lo, hi], or null. */
function single(f: string, lo: number, hi: number): number | null {
  if (!/^\d+$/.test(f)) return null;
  const n = Number(f);
  return n >= lo && n <= hi ? n : null;
}

/** A comma list of plain numbers in [lo, hi] (no ranges or steps), in order; or null. */
function list(f: string, lo: number, hi: number): number[] | null {
  const items = f.split(',').map((x) => single(x, lo, hi));
  if (items.some((x) => x === null)) return null;
  return [...new Set(items as number[])].sort((a, b) => a - b);
}

/** Days of the week (0 and 7 are Sunday) as "Monday", "Monday and Friday", "Monday to Friday". */
function dayRanges(f: string): string | null {
  const parts: string[] = [];
  for (const item of f.split(',')) {
    const range = /^(\d)-(\d)$/.exec(item);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to || to > 7) return null;
      parts.push(`${DAYS[from % 7]} to ${DAYS[to % 7]}`);
      continue;
    }
    const day = single(item, 0, 7);
    if (day === null) return null;
    parts.push(DAYS[day % 7]);
  }
  return and([...new Set(parts)]);
}

const and = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
