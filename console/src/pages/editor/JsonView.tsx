import { useEffect, useRef, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Issue } from './editor-model';
import { Issues } from './panels';
import type { TextProblem } from './validity-badge';
import { reservedStateName } from './reserved-states';

const print = (d: CampaignInput) => JSON.stringify(d, null, 2);

/** The text as a campaign object, or why not. */
function parseJson(text: string): { ok: true; value: CampaignInput } | { ok: false; message: string; line: number | null } {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'a campaign is a JSON object', line: 1 };
    const reserved = reservedStateName(parsed);
    if (reserved) return { ok: false, message: reserved.message, line: null };
    return { ok: true, value: parsed as CampaignInput };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // V8 names the line: "... in JSON at position 25 (line 2 column 3)".
    const line = /\(line (\d+) column \d+\)/.exec(message);
    return { ok: false, message, line: line ? Number(line[1]) : null };
  }
}

/**
 * The same definition as JSON. Text that parses becomes the definition (one
 * undo step per change) and goes through the same validation as the canvas;
 * text that does not parse stays here with the parser's message, and is told
 * to the editor (its badge, and leaving the tab asks first), and the issues
 * of the last text that did are not listed meanwhile.
 */
export function JsonView({ def, issues, onChange, onProblem }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void; onProblem: (p: TextProblem | null) => void }) {
  const [text, setText] = useState(() => print(def));
  const [parseError, setParseError] = useState<{ message: string; line: number | null } | null>(null);
  const typed = useRef(text);
  useEffect(() => {
    // An edit elsewhere (undo) replaces the text unless it already says the same; text that did not parse goes with it.
    const parsed = parseJson(typed.current);
    if (parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(def)) return;
    typed.current = print(def);
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
