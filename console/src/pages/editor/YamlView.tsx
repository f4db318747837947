import { useEffect, useMemo, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Issue } from './editor-model';
import { lineOfPath, parseYaml, toYaml } from './yaml-text';
import '../diff/versions.css';

/**
 * The same definition as YAML, beside the JSON view and like it: text that
 * parses becomes the definition (one undo step per change) and is validated
 * the same way; text that does not parse stays here with the parser's message
 * and line. Each compiler issue says which line its path points at.
 */
export function YamlView({ def, issues, onChange }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void }) {
  const [text, setText] = useState(() => toYaml(def));
  const [parseError, setParseError] = useState<{ message: string; line: number | null } | null>(null);
  useEffect(() => {
    // An edit elsewhere (canvas, JSON, undo) replaces the text unless it already says the same.
    setText((t) => {
      const parsed = parseYaml(t);
      return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(def) ? t : toYaml(def);
    });
  }, [def]);
  const change = (next: string) => {
    setText(next);
    const parsed = parseYaml(next);
    if (!parsed.ok) {
      setParseError(parsed);
      return;
    }
    setParseError(null);
    onChange(parsed.value as CampaignInput);
  };
  const lines = useMemo(() => issues.map((i) => ({ ...i, line: parseError ? null : lineOfPath(text, i.path) })), [issues, text, parseError]);
  return (
    <div className="graph json-view yaml-view">
      <textarea aria-label="Campaign YAML" value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {parseError && (
        <div className="inline-issue" role="alert" data-testid="yaml-parse-error">
          YAML{parseError.line !== null ? `, line ${parseError.line}` : ''}: {parseError.message}
        </div>
      )}
      {lines.length > 0 && (
        <ul className="inline-issues" aria-live="polite" aria-label="Issues in the YAML">
          {lines.map((i, n) => (
            <li key={n} className="inline-issue" data-path={i.path}>
              {i.line !== null && <span className="yaml-line">line {i.line} </span>}
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
