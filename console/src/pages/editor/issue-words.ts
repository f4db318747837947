/**
 * The compiler's issues as an operator reads them. The API answers with the
 * schema's own words ("expected string, received undefined", "Too small:
 * expected string to have >=1 characters"), right for a developer and
 * opaque at a form field; here the common shapes become a sentence about the
 * field ("Give the campaign a name"). What is not recognised keeps the API's
 * message (CONSOLE.md: errors show the API's message and path). Pure.
 */

/** One issue as POST /v1/campaigns/validate answers it (`code` when the API sends one). */
export interface ApiIssue {
  path: string;
  message: string;
  code?: string;
  position?: number;
}

/** The last name in a path: `states.a.actions.steps[0].pool` → `pool`, `exitOn[1].on` → `on`, `exitOn[1]` → `exitOn`. */
function lastName(path: string): string {
  const names = path.match(/[^.[\]]+/g)?.filter((n) => !/^\d+$/.test(n)) ?? [];
  return names[names.length - 1] ?? '';
}

/** What to ask for when a field is missing or empty, by where it is. */
function missing(path: string): string | null {
  const name = lastName(path);
  if (path === 'key') return 'Give the campaign a key: lowercase letters, digits and . _ -, e.g. spring-bonus';
  if (path === 'name') return 'Give the campaign a name';
  if (path === 'initial') return 'Choose the state journeys start in';
  if (path === 'entry.on') return 'Name the event that starts a journey, e.g. order.completed';
  if (path === 'entry.cron') return 'Give the schedule as cron, e.g. 0 9 * * * (every day at 9:00)';
  if (/^exitOn\[\d+\]\.on$/.test(path)) return 'Name the event that ends the journey, e.g. user.unsubscribed';
  if (/\.transitions\[\d+\]\.on$/.test(path)) return 'Name the event that fires this transition, e.g. order.completed';
  if (/\.transitions\[\d+\](\.split\[\d+\])?\.to$/.test(path)) return 'Choose the state this transition goes to';
  switch (name) {
    case 'pool':
      return 'Choose the reward pool this step draws from';
    case 'template':
      return 'Name the message template to send';
    case 'channel':
      return 'Choose the channel the message goes out on, e.g. push or email';
    case 'currency':
      return 'Give the currency of the credit, e.g. USD';
    case 'url':
      return 'Give the address the webhook calls, e.g. https://example.com/hook';
    case 'amount':
      return 'Give an amount: a number, or an expression that computes one';
    case 'after':
    case 'cooldown':
    case 'per':
      return 'Give a duration, e.g. P3D (3 days) or PT3H (3 hours)';
    case 'at':
    case 'startsAt':
    case 'endsAt':
      return 'Give a date and time with its zone, e.g. 2026-12-01T09:00:00+08:00';
    case 'timezone':
      return 'Give a time zone, e.g. Europe/Paris or UTC';
    case 'max':
      return 'Say how many entries at most';
    case 'steps':
      return 'Add at least one step';
    default:
      return null;
  }
}

/** Field names as the side panels label them, for sentences about a value of the wrong kind. */
const LABELS: Record<string, string> = {
  key: 'The key',
  name: 'The name',
  maxEntries: 'Max entries per user',
  maxActive: 'Max active paths',
  max: 'At most entries',
  weight: 'A branch weight',
  amount: 'The amount',
  atLeast: '"At least"',
};
const label = (path: string): string => LABELS[lastName(path)] ?? (lastName(path) ? `"${lastName(path)}"` : 'The campaign');

const KINDS: Record<string, string> = { number: 'a number', string: 'text', boolean: 'yes or no (true or false)', array: 'a list', object: 'a group of fields (key: value)' };

/** The sentence for one issue; the API's message when its shape is not one of those known. */
export function issueInWords(issue: ApiIssue): string {
  const message = issue.message.replace(/^Invalid input: /, '');
  const absent = /^expected \w+, received undefined$/.test(message) || message === 'Required' || /^Too small: expected (string|array) to have >=1 (characters|items)$/.test(message);
  if (absent) {
    const ask = missing(issue.path);
    if (ask) return ask;
    return `${label(issue.path)} is missing`;
  }
  let m = /^expected (\w+), received (\w+)$/.exec(message);
  if (m && KINDS[m[1]]) return `${label(issue.path)} must be ${KINDS[m[1]]}`;
  m = /^Too small: expected number to be (>=|>)(-?[\d.]+)$/.exec(message);
  if (m) return `${label(issue.path)} must be ${m[1] === '>=' ? 'at least' : 'more than'} ${m[2]}`;
  m = /^Too big: expected number to be (<=|<)(-?[\d.]+)$/.exec(message);
  if (m) return `${label(issue.path)} must be ${m[1] === '<=' ? 'at most' : 'less than'} ${m[2]}`;
  m = /^Too small: expected array to have >=(\d+) items$/.exec(message);
  if (m) return `Add at least ${m[1]}`;
  m = /^Too big: expected string to have <=(\d+) characters$/.exec(message);
  if (m) return `${label(issue.path)} is too long: at most ${m[1]} characters`;
  if (message === 'Invalid URL') return 'Give a full web address, e.g. https://example.com/hook';
  m = /^Invalid option: expected one of (.+)$/.exec(message);
  if (m) return `Choose one of ${m[1].split('|').map((s) => s.replace(/"/g, '')).join(', ')}`;
  m = /^"(.*)" is not an ISO 8601 duration/.exec(message);
  if (m) return `"${m[1]}" is not a duration: write it as P3D (3 days), PT3H (3 hours), P2W (2 weeks) or P1M (1 month)`;
  m = /^unknown field "(.+)"$/i.exec(message);
  if (m) return `There is no field "${m[1]}" here: remove it, or check its spelling`;
  return issue.message;
}

/**
 * Every issue in words. An empty field is said once: the schema's other
 * complaints about the same empty value ("use lowercase letters ...") say
 * nothing more, and two issues that read the same are one.
 */
export function issuesInWords<T extends ApiIssue>(issues: readonly T[]): T[] {
  const worded = issues.map((i) => ({ issue: i, words: issueInWords(i), absent: missing(i.path) !== null && issueInWords(i) === missing(i.path) }));
  const emptied = new Set(worded.filter((w) => w.absent).map((w) => w.issue.path));
  const seen = new Set<string>();
  const out: T[] = [];
  for (const w of worded) {
    if (emptied.has(w.issue.path) && !w.absent) continue;
    const id = `${w.issue.path}\u0000${w.words}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...w.issue, message: w.words });
  }
  return out;
}
