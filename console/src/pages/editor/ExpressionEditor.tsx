import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorSelection, EditorState, RangeSetBuilder, Transaction, type ChangeSpec, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { completionsAt, highlight, issueRange, type CompletionOption, type Vocabulary } from '../../../../src/domain/canvas/expression-assist';
import { useFieldsLocked } from './fields-locked';
import { useVocabulary } from './vocabulary';

/**
 * One condition expression in CodeMirror 6: coloured tokens, completion of
 * event types, properties, profile attributes and functions (from
 * GET /v1/vocabulary), and the compiler's issues underlined at their
 * character position. One line: Enter accepts a completion, never a newline,
 * and a pasted line break is a space (oneLine).
 * The token, completion and range logic is pure (src/domain/canvas/expression-assist.ts).
 * Read-only while the side panels are locked (fields-locked.ts), greyed as a
 * disabled field is.
 */

/** Marks a change that came from the value prop, so it is not reported back as an edit (an undo must not become a new edit). */
const fromProp = Annotation.define<boolean>();

const EMPTY: Vocabulary = { eventTypes: [], profileAttributes: [], aggregateFunctions: [], functions: [], facts: [] };

const marks = Object.fromEntries(['number', 'string', 'keyword', 'function', 'fact', 'operator', 'literal'].map((k) => [k, Decoration.mark({ class: `cm-x-${k}` })]));

function decorate(view: EditorView): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  for (const s of highlight(view.state.doc.toString())) b.add(s.from, s.to, marks[s.kind]);
  return b.finish();
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = decorate(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

const CM_TYPE: Record<CompletionOption['kind'], string> = {
  eventType: 'type',
  property: 'property',
  attribute: 'property',
  function: 'function',
  aggregate: 'function',
  fact: 'variable',
  keyword: 'keyword',
};

// Calm colours (CONSOLE.md): greys and one accent, red only for errors; AA contrast in light and dark
// (the page's variables and light-dark(), as styles.css; CodeMirror's own tooltip colours are light only).
const theme = EditorView.theme({
  '&': { border: '1px solid var(--line)', borderRadius: '4px', background: 'var(--field)', color: 'var(--text)', fontSize: '13px', maxWidth: '100%' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', padding: '4px 2px', caretColor: 'var(--text)' },
  '.cm-x-number, .cm-x-literal': { color: 'light-dark(#1d4ed8, #93c5fd)' },
  '.cm-x-string': { color: 'light-dark(#047857, #6ee7b7)' },
  '.cm-x-keyword, .cm-x-operator': { color: 'light-dark(#7c3aed, #c4b5fd)' },
  '.cm-x-function': { color: 'light-dark(#b45309, #fcd34d)', fontWeight: '600' },
  '.cm-x-fact': { color: 'var(--text)', fontWeight: '600' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy light-dark(#dc2626, #f87171)', textUnderlineOffset: '3px' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--line)', maxWidth: 'min(480px, 90vw)' },
  '.cm-tooltip-autocomplete ul li': { overflow: 'hidden', textOverflow: 'ellipsis' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent-soft)', color: 'var(--text)' },
  '.cm-completionDetail': { color: 'var(--muted)' },
  // As a disabled field (styles.css: button:disabled).
  '&.cm-x-locked': { opacity: '0.55', cursor: 'not-allowed' },
  '&.cm-x-locked .cm-content': { cursor: 'not-allowed' },
});

/** What the lock compartment holds: nothing to type into, said to assistive technology too, and greyed. */
const lockedBy = (locked: boolean): Extension =>
  locked
    ? [EditorView.editable.of(false), EditorState.readOnly.of(true), EditorView.contentAttributes.of({ 'aria-readonly': 'true' }), EditorView.editorAttributes.of({ class: 'cm-x-locked' })]
    : [];

/**
 * Keeps the expression from gaining lines. A newline in an expression is only
 * whitespace, so a pasted or dropped condition that spans lines (copied from
 * a YAML file or the docs) goes in whole, each line break and the indent
 * around it one space; a newline typed (Enter with no completion open) is
 * not taken.
 */
const oneLine = EditorState.transactionFilter.of((tr) => {
  // A value from outside is shown as it is: the cell's text is the truth.
  if (!tr.docChanged || tr.newDoc.lines <= tr.startState.doc.lines || tr.annotation(fromProp)) return tr;
  if (!tr.isUserEvent('input.paste') && !tr.isUserEvent('input.drop')) return [];
  const specs: ChangeSpec[] = [];
  tr.changes.iterChanges((from, to, _fromB, _toB, inserted) => specs.push({ from, to, insert: inserted.toString().replace(/[ \t]*\n[ \t]*/g, ' ') }));
  const changes = tr.startState.changes(specs);
  // The cursor after what went in, as a paste leaves it (not a selection over it).
  const selection = EditorSelection.create(
    tr.startState.selection.ranges.map((r) => EditorSelection.cursor(changes.mapPos(r.to, 1))),
    tr.startState.selection.mainIndex,
  );
  return { changes, selection, scrollIntoView: true, userEvent: tr.annotation(Transaction.userEvent) };
});

export function ExpressionEditor({
  label,
  value,
  onChange,
  issues,
  sameAs,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  /**
   * Whether the text in the field says what a new `value` says, in other words: kept as typed then, not replaced.
   * An amount typed `1.0` on its way to `1.05` stores 1, whose value `1` must not rewrite it (the next key would make it `15`).
   */
  sameAs?: (text: string, value: string) => boolean;
  /** The compiler's issues inside this expression; `position` is the character offset when it knows one. */
  issues: Array<{ message: string; position?: number }>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, sameAs, vocabulary: EMPTY as Vocabulary });
  latest.current.onChange = onChange;
  latest.current.sameAs = sameAs;
  const locked = useFieldsLocked();
  const lock = useRef(new Compartment());
  const lockedNow = useRef(locked);
  lockedNow.current = locked;
  latest.current.vocabulary = useVocabulary() ?? EMPTY;

  useEffect(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const text = ctx.state.doc.toString();
      const c = completionsAt(text, ctx.pos, latest.current.vocabulary);
      if (!c) return null;
      // Typing a space or an operator opens nothing; a word, a dot or a quote does.
      if (!ctx.explicit && c.from === ctx.pos && !/[.'"(]$/.test(text.slice(0, ctx.pos))) return null;
      return {
        from: c.from,
        options: c.options.map((o) => ({ label: o.label, type: CM_TYPE[o.kind], detail: o.detail, apply: o.apply })),
        validFor: /^[\w.$:-]*$/,
      };
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          oneLine,
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(fromProp))) latest.current.onChange(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': label, role: 'textbox', 'aria-multiline': 'false', spellcheck: 'false' }),
          highlighter,
          // A long condition wraps inside the panel instead of pushing the page sideways.
          EditorView.lineWrapping,
          autocompletion({ override: [complete], activateOnTyping: true, icons: false }),
          theme,
          lock.current.of(lockedBy(lockedNow.current)),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view lives as long as the field; value and issues follow in the effects below.
  }, [label]);

  // A value changed from outside (undo, another view) replaces the text; the user's own typing already matches, or says the same (sameAs).
  useEffect(() => {
    const v = view.current;
    const text = v?.state.doc.toString();
    if (v && text !== value && !latest.current.sameAs?.(text ?? '', value)) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: fromProp.of(true) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: lock.current.reconfigure(lockedBy(locked)) });
  }, [locked]);

  const key = JSON.stringify(issues);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const text = v.state.doc.toString();
    // Issues are for the text that was checked; a stale position past the end is clamped by issueRange.
    const diagnostics: Diagnostic[] = issues.map((i) => ({ ...issueRange(text, i.position), severity: 'error', message: i.message }));
    v.dispatch(setDiagnostics(v.state, diagnostics));
    v.contentDOM.setAttribute('aria-invalid', issues.length > 0 ? 'true' : 'false');
  }, [key]);

  // Takes the row's width like the text input it replaced.
  return <div ref={host} className="expr-editor" data-testid="expression-editor" style={{ flex: '1 1 12em', minWidth: 0 }} />;
}
