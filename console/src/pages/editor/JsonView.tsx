import { useEffect, useRef, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Issue } from './editor-model';
import { Issues } from './panels';
import type { TextProblem } from './validity-badge';
import { parseJson, toJson } from './json-text';

/**
 * The same definition as JSON. Text that parses becomes the definition (one
 * undo step per change) and goes through the same validation as the canvas;
 * text that does not parse stays here with the parser's message, and is told
 * to the editor (its badge, and leaving the tab asks first), and the issues
 * of the last text that did are not listed meanwhile.
 */
export function JsonView({ def, issues, onChange, onProblem }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void; onProblem: (p: TextProblem | null) => void }) {
  const [text, setText] = useState(() => toJson(def));
  const [parseError, setParseError] = useState<{ message: string; line: number | null } | null>(null);
  const typed = useRef(text);
  useEffect(() => {
    // An edit elsewhere (undo) replaces the text unless it already says the same; text that did not parse goes with it.
    const parsed = parseJson(typed.current);
    if (parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(def)) return;
    typed.current = toJson(def);
    setText(typed.current);
    setParseError(null);
  }, [def]);
  useEffect(() => {
    onProblem(parseError && { view: 'json', ...parseError });
  }, [parseError, onProblem]);
  useEffect(() => () => onProblem(null), [onProblem]);
  const change = (next: string) => {
    typed.current = next;
    setText(next);
    const parsed = parseJson(next);
    if (!parsed.ok) {
      setParseError({ message: parsed.message, line: parsed.line });
      return;
    }
    setParseError(null);
    onChange(parsed.value);
  };
  return (
    <div className="graph json-view">
      <textarea aria-label="Campaign JSON" value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {parseError && (
        <div className="inline-issue" role="alert" data-testid="json-parse-error">
          JSON: {parseError.message}
        </div>
      )}
      <Issues list={parseError ? [] : issues.map((i) => ({ ...i, message: `${i.path}: ${i.message}` }))} />
    </div>
  );
}
