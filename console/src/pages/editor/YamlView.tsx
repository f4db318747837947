import { useEffect, useMemo, useRef, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Issue } from './editor-model';
import type { TextProblem } from './validity-badge';
import { lineOfPath, parseYaml, toYaml } from './yaml-text';
import '../diff/versions.css';

/**
 * The same definition as YAML, beside the JSON view and like it: text that
 * parses becomes the definition (one undo step per change) and is validated
 * the same way; text that does not parse stays here with the parser's
 * message and line, and is told to the editor (its badge, and leaving the
 * tab asks first). Each compiler issue says which line its path points at;
 * while the text does not parse they are those of the last text that did,
 * so they are not listed.
 */
export function YamlView({ def, issues, onChange, onProblem }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void; onProblem: (p: TextProblem | null) => void }) {
  const [text, setText] = useState(() => toYaml(def));
  const [parseError, setParseError] = useState<{ message: string; line: number | null } | null>(null);
  const typed = useRef(text);
  useEffect(() => {
    // An edit elsewhere (undo) replaces the text unless it already says the same; text that did not parse goes with it.
    const parsed = parseYaml(typed.current);
    if (parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(def)) return;
    typed.current = toYaml(def);
    setText(typed.current);
    setParseError(null);
  }, [def]);
  useEffect(() => {
    onProblem(parseError && { view: 'yaml', ...parseError });
  }, [parseError, onProblem]);
  useEffect(() => () => onProblem(null), [onProblem]);
  const change = (next: string) => {
    typed.current = next;
    setText(next);
    const parsed = parseYaml(next);
    if (!parsed.ok) {
      setParseError({ message: parsed.message, line: parsed.line });
      return;
    }
    setParseError(null);
    onChange(parsed.value as CampaignInput);
  };
  const lines = useMemo(() => (parseError ? [] : issues.map((i) => ({ ...i, line: lineOfPath(text, i.path) }))), [issues, text, parseError]);
  return (
    <div className="graph json-view yaml-view">
      <textarea aria-label="Campaign YAML" value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {parseError && (
        <div className="inline-issue" role="alert" data-testid="yaml-parse-error">
          YAML{parseError.line !== null ? `, line ${parseError.line}` : ''}: {parseError.message}. The campaign is as the last YAML that parsed; its issues show again once this does.
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
