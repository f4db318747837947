import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CampaignStatus } from '../api/campaigns/campaigns.schemas';
import { STATUS_CHANGES } from '../api/campaigns/status-changes';
import { renderJourney, type JourneyView } from './journey-render';

/** Docs against the code they quote (review 60, docs and rewards): what the CLI prints, what the code does. */
const root = path.join(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');
const readdir = (dir: string): string[] => readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.md'));
const markdownFiles = (): string[] => ['README.md', ...['docs', 'docs/plays'].flatMap((dir) => readdir(dir).map((f) => `${dir}/${f}`))];

// Finding 1: as root, npm start keeps its keys under KAIROS_DATA_DIR, which the CLI in the other terminal did not have.
describe('docs/quick-start.md as root', () => {
  const text = read('docs/quick-start.md');
  const intro = text.slice(0, text.indexOf('## 1.'));

  it('has KAIROS_DATA_DIR exported for the CLI too, not set for npm start alone', () => {
    expect(intro).toContain('KAIROS_DATA_DIR');
    expect(intro).toMatch(/^export KAIROS_DATA_DIR=\S+$/m);
    expect(intro).not.toMatch(/KAIROS_DATA_DIR=\S+ npm start/);
    expect(oneLine(intro)).toMatch(/the CLI reads it/);
  });

  it('says where the CLI looks for the admin key: .kairos/ or KAIROS_DATA_DIR', () => {
    const finds = oneLine(text).match(/The `kairos` CLI finds the API.*?by itself/)?.[0];
    expect(finds).toContain('KAIROS_DATA_DIR');
  });
});

// Finding 2: a help cell of `templates show` in the docs said what the template no longer says.
describe('`kairos templates show` tables in the docs', () => {
  /** Each `$ kairos templates show <key>` block: the key, and each parameter row's name and help cell. */
  function tables(markdown: string): Array<{ key: string; rows: Array<{ name: string; help: string }> }> {
    const found: Array<{ key: string; rows: Array<{ name: string; help: string }> }> = [];
    for (const [, key, body] of markdown.matchAll(/^\$ kairos templates show (\S+)\n([\s\S]*?)^```/gm)) {
      const lines = body.split('\n');
      const dashes = lines.findIndex((l) => /^-+( +-+)+$/.test(l));
      const starts = [...lines[dashes].matchAll(/-+/g)].map((m) => m.index);
      const rows = [];
      for (const line of lines.slice(dashes + 1)) {
        if (line.trim() === '') break;
        rows.push({ name: line.slice(0, starts[1]).trim(), help: line.slice(starts[starts.length - 1]).trim() });
      }
      found.push({ key, rows });
    }
    return found;
  }

  const shown = markdownFiles().flatMap((file) => tables(read(file)).map((t) => ({ file, ...t })));

  it('are found', () => {
    expect(shown.map((t) => `${t.file} ${t.key}`)).toEqual(expect.arrayContaining(['docs/cli.md sign-in-streak', 'docs/plays/sign-in-streak.md sign-in-streak']));
  });

  it.each(shown.map((t) => [t.file, t.key, t] as const))("%s: %s's help cells are its template's help (cut short with ...)", (_file, key, table) => {
    const template = parse(read(`examples/templates/${key}.yaml`)) as { parameters: Array<{ name: string; help: string }> };
    const helps = new Map(template.parameters.map((p) => [p.name, p.help]));
    expect(table.rows.map((r) => r.name)).toEqual(template.parameters.map((p) => p.name));
    for (const row of table.rows) {
      const help = helps.get(row.name) ?? '';
      const cut = row.help.endsWith(' ...') ? row.help.slice(0, -' ...'.length) : undefined;
      expect({ name: row.name, shown: cut === undefined ? row.help : help.slice(0, cut.length) }).toEqual({ name: row.name, shown: cut ?? help });
    }
  });
});

// Finding 4: the quick start showed `journeys show` without the run it always prints.
describe('`journeys show` output in the docs', () => {
  const lines = markdownFiles().flatMap((file) =>
    read(file)
      .split('\n')
      .filter((l) => l.startsWith('workflow journey:'))
      .map((line) => ({ file, line })),
  );

  it('is found', () => {
    expect(lines.map((l) => l.file)).toContain('docs/quick-start.md');
  });

  it.each(lines.map((l) => [l.file, l.line] as const))('%s: %s is the line renderJourney prints, run included', (_file, line) => {
    const [, workflowId, runId, temporalStatus, temporalUrl] = /^workflow (\S+) run (\S+) \((\w+)\) (\S+)$/.exec(line) ?? [];
    expect(runId).toBeDefined();
    const view = { workflowId, runId, temporalStatus, temporalUrl, campaignKey: 'c', campaignVersion: 1, userId: 'u', status: 'active', endReason: null, entries: 1 };
    expect(renderJourney({ ...view, paths: [], finished: [], held: [], rewards: [], trace: [] } as unknown as JourneyView)[1]).toBe(line);
  });
});

// Finding 5: the docs said only SIGINT and SIGTERM stop Kairos cleanly; run-process.ts stops cleanly on SIGHUP too.
describe('the signals that stop Kairos cleanly', () => {
  const registered = /for \(const signal of \[([^\]]+)\] as const\) process\.on\(signal/.exec(read('src/run-process.ts'))?.[1].match(/SIG[A-Z]+/g) ?? [];

  it('are read from run-process.ts', () => {
    expect(registered).toEqual(expect.arrayContaining(['SIGINT', 'SIGTERM']));
  });

  it.each(['README.md', 'docs/operations.md'])('%s names each of them', (file) => {
    const sentence = oneLine(read(file)).match(/[^.;]*stop Kairos cleanly[^.;]*/)?.[0] ?? '';
    expect(sentence).not.toBe('');
    expect(registered.filter((signal) => !new RegExp(`\\b${signal}\\b`).test(sentence))).toEqual([]);
  });
});

// Finding 6: docs/api.md read as if a draft's pause answered 200; it is a 409.
describe("docs/api.md's pause row", () => {
  const row = read('docs/api.md')
    .split('\n')
    .find((l) => l.startsWith('| `POST /v1/campaigns/:key/pause`'));
  const statuses = CampaignStatus.options;

  it('names the statuses pause starts from, and the others as a 409 invalid_status_change', () => {
    const from = row?.match(/Pause starts from [^.]*\./)?.[0] ?? '';
    const refused = row?.match(/[^.]*pause is a 409 `invalid_status_change`/)?.[0] ?? '';
    expect(statuses.filter((s) => STATUS_CHANGES.pause.from.includes(s) !== from.includes(`\`${s}\``))).toEqual([]);
    expect(statuses.filter((s) => !STATUS_CHANGES.pause.from.includes(s) && !new RegExp(`\\b${s}\\b`).test(refused))).toEqual([]);
  });
});

// Review 60 (rewards), finding 2: "the budget comes back" on cancel, though a used coupon keeps its budget.
describe("docs/campaigns.md's Cancelling an event", () => {
  const text = read('docs/campaigns.md');
  const section = oneLine(text.slice(text.indexOf('## Cancelling an event'), text.indexOf('\n- ', text.indexOf('## Cancelling an event'))));

  it('says a used (unreclaimable) coupon keeps its budget, code and per-user slot', () => {
    expect(section).toContain('`unreclaimable`');
    expect(section).not.toMatch(/The pool's budget comes back\./);
    expect(section).toMatch(/a used coupon keeps its budget, its code and its place in the user's `perUserLimit`/);
  });
});

// Review 62 (docs), finding 1: the README said a journey keeps the version it entered with; an idle one moves on its next entry.
describe('what the docs say about the version a journey runs', () => {
  const readme = oneLine(read('README.md'));

  it('does not say a journey keeps the version it entered with', () => {
    for (const file of markdownFiles()) expect({ file, keeps: /version it entered with and keeps|pins the campaign version|carries from its start/.test(oneLine(read(file))) }).toEqual({ file, keeps: false });
  });

  it("says, where the README names CampaignVersion and the journey's version, that an idle journey's next entry moves it", () => {
    const attribute = readme.match(/the Int `CampaignVersion` \([^)]*\)/)?.[0] ?? '';
    const runs = readme.match(/It runs the campaign version it entered with \([^)]*\)/)?.[0] ?? '';
    expect(attribute).toMatch(/next entry moves it/);
    expect(runs).toMatch(/next entry .* moves to that one/);
  });
});

// Review 62 (docs), finding 2: the exit-code row said apply --activate would activate the latest version; after a move back it does not.
describe("docs/cli.md's exit code 4 row", () => {
  const row = read('docs/cli.md')
    .split('\n')
    .find((l) => l.startsWith('| 4 |'));

  it('says apply --activate does not undo a move back to an older version', () => {
    expect(row).toBeDefined();
    expect(row).not.toContain('`apply --activate` would activate it');
    expect(row).toMatch(/`apply --activate` activates it only if it was never active: it does not undo a move back/);
  });
});
