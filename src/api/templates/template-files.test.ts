import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { compileCampaign } from '../../domain/compiler';
import { renderTemplate } from '../../domain/templates';
import { loadTemplateFiles, TemplateFilesError } from './template-files';

const examples = path.join(__dirname, '../../../examples/templates');

describe('the template folder', () => {
  it('is the default of KAIROS_TEMPLATES_DIR', () => {
    expect(loadConfig({}).templatesDir).toBe(examples);
    expect(loadConfig({ KAIROS_TEMPLATES_DIR: '/srv/plays' }).templatesDir).toBe('/srv/plays');
  });

  it('holds the plays of the seeds, one file each, every one rendering with its defaults to a campaign that compiles', () => {
    const templates = loadTemplateFiles(examples);
    expect(templates.map((t) => t.key)).toEqual([
      'ab-split',
      'birthday-points',
      'first-order-coupon',
      're-engagement',
      'sign-in-streak',
      'spend-or-orders-and-posts',
      'tiered-rewards',
    ]);
    expect(readdirSync(examples)).toHaveLength(templates.length);
    for (const template of templates) {
      const rendered = renderTemplate(template);
      if (!rendered.ok) throw new Error(`${template.key}: ${JSON.stringify(rendered.issues)}`);
      const compiled = compileCampaign(rendered.value.campaign);
      expect({ key: template.key, ok: compiled.ok }).toEqual({ key: template.key, ok: true });
      for (const p of template.parameters) expect(p.help.length).toBeGreaterThan(10);
    }
  });

  describe('with a bad file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kairos-templates-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const problemsOf = (): string[] => {
      try {
        loadTemplateFiles(dir);
      } catch (e) {
        if (e instanceof TemplateFilesError) return e.problems;
        throw e;
      }
      return [];
    };

    it('fails loudly with the file and the path of each problem', () => {
      writeFileSync(path.join(dir, 'broken.yaml'), 'key: broken\ntitle: Broken\ndescription: x\nparameters: []\ncampaign: { key: broken, name: B, entry: { on: a }, initial: nowhere, states: { s: { end: true } } }\n');
      writeFileSync(path.join(dir, 'garbled.json'), '{ "key": ');
      writeFileSync(path.join(dir, 'named-wrong.yaml'), 'key: other\ntitle: T\ndescription: x\nparameters: []\ncampaign: { key: other, name: B, entry: { on: a }, initial: s, states: { s: { end: true } } }\n');
      const problems = problemsOf();
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^broken\.yaml: campaign\.initial: /);
      expect(problems[1]).toMatch(/^garbled\.json: not valid JSON/);
      expect(problems[2]).toMatch(/^named-wrong\.yaml: key "other" must match the file name/);
    });

    it('refuses a JSON file naming a key twice in one object, at its path, as a YAML file is refused', () => {
      const template = (parameter: string, extra = '') =>
        `{ "key": "promo", "title": "Promo", "description": "x",${extra} "parameters": [${parameter}], ` +
        `"campaign": { "key": "promo", "name": "P", "entry": { "on": "a" }, "initial": "s", "states": { "s": { "actions": { "steps": [{ "type": "points", "amount": "{{points}}" }] }, "end": true } } } }`;
      const points = (max: string) => `{ "name": "points", "type": "integer", "label": "Points", "help": "h", "default": 50, "min": 1, ${max} }`;
      writeFileSync(path.join(dir, 'promo.json'), template(points('"max": 500')));
      expect(problemsOf()).toEqual([]);
      writeFileSync(path.join(dir, 'promo.json'), template(points('"max": 500'), ' "title": "Promo again",'));
      expect(problemsOf()).toEqual(['promo.json: title: the key "title" appears twice in one object; JSON keeps only the last, so say it once']);
      writeFileSync(path.join(dir, 'promo.json'), template(points('"max": 500, "max": 50')));
      expect(problemsOf()).toEqual(['promo.json: parameters[0].max: the key "max" appears twice in one object; JSON keeps only the last, so say it once']);
      // Not valid JSON is still said so.
      writeFileSync(path.join(dir, 'promo.json'), '{ "key": "promo", "key": ');
      expect(problemsOf()).toEqual([expect.stringMatching(/^promo\.json: not valid JSON/)]);
    });

    // Review 60 (templates), finding 2: `.YAML` was left out without a word, and a BOM made JSON unreadable.
    it('reads an extension in any case, and a JSON file that starts with a byte order mark', () => {
      const template = (key: string) =>
        `{ "key": "${key}", "title": "T", "description": "x", "parameters": [], ` +
        `"campaign": { "key": "${key}", "name": "P", "entry": { "on": "a" }, "initial": "s", "states": { "s": { "end": true } } } }`;
      writeFileSync(path.join(dir, 'upper.YAML'), template('upper'));
      writeFileSync(path.join(dir, 'shout.JSON'), template('shout'));
      writeFileSync(path.join(dir, 'bom.json'), `\uFEFF${template('bom')}`);
      expect(problemsOf()).toEqual([]);
      expect(loadTemplateFiles(dir).map((t) => t.key)).toEqual(['bom', 'shout', 'upper']);
      // A file named after another key is still refused, whatever the case of its extension.
      writeFileSync(path.join(dir, 'Other.YML'), template('other'));
      expect(problemsOf()).toEqual(['Other.YML: key "other" must match the file name (other.yaml)']);
    });

    it('fails for a folder that is not there', () => {
      rmSync(dir, { recursive: true });
      expect(problemsOf()[0]).toMatch(/cannot read the folder/);
    });
  });
});
