import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * Series Prometheus writes itself for every target it scrapes, which the rules may read though no Kairos process
 * exports them: `up` (1 when the scrape answered, 0 when it failed or was refused). Named one by one, so that any
 * other name the rules or the dashboard read must still be exported by Kairos.
 */
export const PROMETHEUS_OWN_SERIES: ReadonlySet<string> = new Set(['up']);

/** PromQL words that stand where a metric name could: binary operators and modifiers. */
const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan']);

/**
 * Every series name an expression selects, Prometheus's own included: what is left once strings, label matchers,
 * ranges, grouping label lists and numbers are taken out, less function calls (`rate(`, `absent(`) and keywords.
 * Histogram series are folded into their family.
 */
export function selectedSeries(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/\d[\w.]*|([A-Za-z_:][\w:]*)(\s*\()?/g)]
    .filter((m) => m[1] !== undefined && m[2] === undefined && !PROMQL_KEYWORDS.has(m[1]))
    .map((m) => m[1].replace(/_(bucket|count|sum)$/, ''));
  return [...new Set(names)];
}

/** Every metric family an expression reads that Kairos must export: all it selects but Prometheus's own series. */
export function metricNames(expr: string): string[] {
  return selectedSeries(expr).filter((name) => !PROMETHEUS_OWN_SERIES.has(name));
}

/** The expressions of the shipped alert rules and dashboard. */
export function monitoringExpressions(): string[] {
  const rules = parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/kairos.json')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return [...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)), ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))];
}
