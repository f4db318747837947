import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Every Kairos or Temporal SDK metric family an expression names (histogram series folded into their family). */
export function metricNames(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b((?:kairos|temporal)_[a-z0-9_]+)\b/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')))];
}

/** The expressions of the shipped alert rules and dashboard. */
export function monitoringExpressions(): string[] {
  const rules = parse(read('deploy/prometheus/kairos-alerts.yml')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/kairos.json')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return [...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)), ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))];
}

