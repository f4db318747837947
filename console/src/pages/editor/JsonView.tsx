import { useEffect, useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import type { Issue } from './editor-model';
import { Issues } from './panels';

const print = (d: CampaignInput) => JSON.stringify(d, null, 2);

/**
 * The same definition as JSON. Text that parses becomes the definition (one
 * undo step per change) and goes through the same validation as the canvas;
 * text that does not parse stays here with the parser's message.
 */
export function JsonView({ def, issues, onChange }: { def: CampaignInput; issues: Issue[]; onChange: (d: CampaignInput) => void }) {
  const [text, setText] = useState(() => print(def));
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    // An edit elsewhere (canvas, undo) replaces the text unless it already says the same.
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(def) ? t : print(def);
      } catch {
        return print(def);
      }
    });
  }, [def]);
  const change = (next: string) => {
    setText(next);
    try {
      const parsed = JSON.parse(next) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('a campaign is a JSON object');
      setParseError(null);
      onChange(parsed as CampaignInput);
    } catch (e) {
      setParseError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="graph json-view">
      <textarea aria-label="Campaign JSON" value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {parseError && (
        <div className="inline-issue" role="alert">
          JSON: {parseError}
        </div>
      )}
      <Issues list={issues.map((i) => ({ ...i, message: `${i.path}: ${i.message}` }))} />
    </div>
  );
}
