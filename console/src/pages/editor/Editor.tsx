import { Background, MarkerType, ReactFlow, type Connection, type Edge, type NodeChange, type ReactFlowInstance } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { addState, addTransition, deleteState, moveTransition, removeTransition, renameState, setActions, setEnd, setInitial, updateTransition } from '../../../../src/domain/canvas/definition-edits';
import { canRedo, canUndo, commit, redo, startHistory, undo, type History } from '../../../../src/domain/canvas/history';
import type { Result } from '../../../../src/domain/issues';
import { client, describeError, isNoAnswer, unwrap } from '../../api';
import { href, Link, replaceUrl, useLeaveGuard } from '../../router';
import { useTheme } from '../../theme/use-theme';
import { useFocusAfterBusy } from '../../ui/focus-after-busy';
import { useFocusAfterRemoval } from '../../ui/focus-after-removal';
import { ErrorBox, ProblemList } from '../../ui/parts';
import { FitControls } from '../campaign/FitControls';
import { nodeHandles } from '../campaign/node-handles';
import { layeredLayout, loopRoute, loopShift, NAME_LINE_PX, nameLines } from '../campaign/layout';
import { edgeFans, fanMiddle, type EdgeFan } from '../campaign/edge-fan';
import { RoutedEdge } from '../campaign/RoutedEdge';
import { newStatePlace } from './new-state-place';
import { undoKeyAction } from './undo-keys';
import { editMark, type EditKind } from './edit-mark';
import { editorModel, type EditorNode as EditorModelNode } from './editor-model';
import { EditorNode, type EditorNodeType } from './EditorNode';
import { JsonView } from './JsonView';
import { CampaignPanels } from './CampaignPanels';
import { CampaignPanel, StatePanel, TransitionPanel } from './panels';
import { PreviewPanel } from './PreviewPanel';
import { layoutOf, savePlan, withUndrawn, type NodeLayout } from './save-plan';
import { placesAfterSave } from './placed-during-save';
import { stateName } from './state-name';
import { saveVersion, VersionConflict, type Base } from './save-version';
import { VersionConflictBox } from './VersionConflictBox';
import { YamlView } from './YamlView';
import { useValidation } from './use-validation';
import { issuesInWords } from './issue-words';
import { changedPaths, shownIssues } from './touched';
import { rehomeIssues } from './rehome-issues';
import { PendingFieldsProvider, refusedTextWords, usePendingFieldsState } from './pending-fields';
import { usePressedNode } from './pressed-node';
import { TouchField, useFieldsLeft } from './touch-field';
import { FieldsLocked } from './fields-locked';
import { DurationDraftsContext, useDurationDraftState } from './duration-drafts';
import { IssuesPanel } from './IssuesPanel';
import { validityBadge, type TextProblem } from './validity-badge';
import { answeredStatus } from './check-outcome';
import { PageHead } from '../../ui/page-head';
import { counted } from '../../ui/numbers';
import { PartErrorBoundary } from '../../ui/part-error-boundary';

const nodeTypes = { editable: EditorNode };
const edgeTypes = { routed: RoutedEdge };

const NODE_WIDTH = 240;
/** Room for a state just added: its name and the two issues it shows until it is connected (unreachable, no way out). */
const NEW_STATE_SIZE = { width: NODE_WIDTH, height: 130 };

/** A state's height before React Flow measures it: its name's lines, a row per step (groups' heads too) and per issue. */
const estimatedHeight = (n: EditorModelNode) => 56 + (nameLines(n.id) - 1) * NAME_LINE_PX + n.steps.length * 24 + n.issues.length * 36;

/** A place or size kept for a state, never one every object answers to (a stored state called `toString`). */
const ownOf = <T,>(kept: Record<string, T>, name: string): T | undefined => (Object.prototype.hasOwnProperty.call(kept, name) ? kept[name] : undefined);

/** Said where a part of the editor failed to draw: the draft is not lost with it. */
const KEPT = 'Your draft is kept: Undo, or fix it in the JSON or YAML tab, draws it again.';

type View = 'canvas' | 'json' | 'yaml';
const VIEW_NAMES: Record<View, string> = { canvas: 'Canvas', json: 'JSON', yaml: 'YAML' };

type Selection = { kind: 'state'; name: string } | { kind: 'transition'; from: string; index: number } | null;

/**
 * The canvas: draw a campaign's states and transitions, set triggers and
 * actions in the side panels, undo and redo; every edit is compiled by the
 * API and its issues are shown where their paths point. Node positions are
 * saved beside the version (its `layout`, never in the definition): a node
 * without one is placed by dagre.
 */
export function Editor({ initial, saved, layout: savedLayout = null }: { initial: CampaignInput; saved: { key: string; version: number | null } | null; layout?: NodeLayout | null }) {
  const [history, setHistory] = useState<History<CampaignInput>>(() => startHistory(initial));
  const def = history.present;
  const [view, setView] = useState<View>('canvas');
  // The JSON or YAML tab's text that does not parse, and the tab asked for while it was so (leaving would drop the text: ask first).
  const [textProblem, setTextProblem] = useState<TextProblem | null>(null);
  const [leaving, setLeaving] = useState<View | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [moved, setMoved] = useState<Record<string, { x: number; y: number }>>(() => ({ ...savedLayout }));
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  // What the next save compares with: the version loaded, then each one saved.
  const [base, setBase] = useState<Base | null>(() => (saved ? { ...saved, definition: initial, layout: savedLayout } : null));
  const [problem, setProblem] = useState<string | null>(null);
  const [newState, setNewState] = useState('');
  const [stored, setStored] = useState(saved);
  // What the last preview says would happen, drawn on the canvas: the states reached and the transitions taken (none when it answers another version, or the draft changed since saved).
  const [taken, setTaken] = useState<Array<{ from: string | null; to: string }>>([]);
  const [ship, setShip] = useState<{ busy: boolean; error: unknown; done: string | null }>({ busy: false, error: null, done: null });

  // What the operator has touched: parts changed since the editor opened, fields left, or everything once a save or "show all" asked.
  const [opened] = useState(initial);
  const [left, touchField] = useFieldsLeft();
  const { typing, refused: refusedTexts, reports: fieldReports } = usePendingFieldsState();
  const [showAll, setShowAll] = useState(false);

  const { scheme } = useTheme();
  const validation = useValidation(def);
  const fresh = validation.checked === def;
  // Warnings (a pool that does not exist yet) show at their fields as issues do; only the badge tells them apart.
  // Until the check of this very draft answers, the last check's issues follow their elements (an edit can move another one to their paths).
  const everyIssue = useMemo(
    () => [...issuesInWords(rehomeIssues(validation.checked, def, validation.issues)), ...issuesInWords(rehomeIssues(validation.checked, def, validation.warnings))],
    [validation.checked, validation.issues, validation.warnings, def],
  );
  const touched = useMemo(() => [...changedPaths(opened, def), ...left], [opened, def, left]);
  const { shown, waiting } = useMemo(() => shownIssues(everyIssue, touched, showAll), [everyIssue, touched, showAll]);
  // Duration text that does not read yet is always shown at its field (it is being typed there) and counted.
  const durations = useDurationDraftState(def);
  // The JSON or YAML tab can still change a saved campaign's key, which the API refuses: said where the key is.
  const keyIssues = useMemo(() => (stored && def.key !== stored.key ? [{ path: 'key', message: `A saved campaign keeps its key: this one is ${stored.key} (another key would be another campaign)` }] : []), [stored, def.key]);
  const model = useMemo(() => editorModel(def, [...durations.issues, ...keyIssues, ...shown]), [def, durations.issues, keyIssues, shown]);
  // The text views show the whole document, so every issue with its path.
  const everyTargeted = useMemo(() => editorModel(def, [...keyIssues, ...everyIssue]).all, [def, keyIssues, everyIssue]);
  // The text views show the whole document, so every issue with its path.

  const total = everyIssue.length + durations.issues.length + keyIssues.length;
  const warned = validation.issues.length + durations.issues.length + keyIssues.length === 0 ? validation.warnings.length : 0;
  // What is typed but not in the campaign yet: saving now would store something other than what the fields show.
  const notApplied = [
    ...Object.values(durations.drafts).map((d) => d.unapplied ?? `${d.label} does not read as a duration yet ("${d.text}")`),
    // A name the editor refused to apply stays typed in its field: saving would store the campaign without it.
    ...refusedTexts.map(refusedTextWords),
    ...(textProblem ? [`the ${VIEW_NAMES[textProblem.view]} does not parse${textProblem.line !== null ? ` (line ${textProblem.line})` : ''}`] : []),
  ];
  // Text in the JSON or YAML tab that does not parse: every other way to edit would rewrite it from the campaign, dropping it unasked.
  const textLocked = textProblem !== null;
  const lockedWhy = textProblem ? `The ${VIEW_NAMES[textProblem.view]} does not parse: fix it, or drop its edit by opening another tab, first` : undefined;
  const badge = validityBadge({ fresh, total, warned, text: textProblem, unchecked: validation.error != null, answered: answeredStatus(validation.error) });
  /** Another tab; from text that does not parse, only once the operator agrees to drop it. */
  const switchView = (next: View) => {
    if (next === view) return;
    if (textProblem?.view === view) {
      setLeaving(next);
      return;
    }
    setLeaving(null);
    setView(next);
  };
  const dropText = () => {
    if (leaving) setView(leaving);
    setLeaving(null);
    setTextProblem(null);
  };

  /** An editing move's answer: the new definition, or why it was refused. */
  const apply = useCallback((r: Result<CampaignInput>, kind: EditKind = 'typed') => {
    if (!r.ok) {
      setProblem(r.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      return false;
    }
    setProblem(null);
    // Keystrokes in one field within a short pause are one undo step; a state or transition added is a step of its own (edit-mark.ts).
    const mark = editMark(kind);
    setHistory((h) => commit(h, r.value, mark));
    return true;
  }, []);
  // A definition as typed or set whole: never read as a Result (a campaign with a top-level `ok` key is still a campaign).
  const applyDefinition = useCallback((d: CampaignInput) => apply({ ok: true, value: d }), [apply]);
  /**
   * The places "Add state" pinned (states that had none, where dagre drew them, and the new one) and the definition it
   * made: undoing that very step takes back those pins not moved since, so the canvas is as it was (a campaign without a
   * layout reads Saved again); redoing it puts them back, so the state returns beside the others, not under one.
   */
  const pinnedByAdd = useRef<{ def: CampaignInput; pins: Record<string, { x: number; y: number }> } | null>(null);
  const historyNow = useRef(history);
  historyNow.current = history;
  const doUndo = useCallback(() => {
    const added = pinnedByAdd.current;
    if (added && historyNow.current.present === added.def && canUndo(historyNow.current)) {
      const pinnedThen = (id: string, at: { x: number; y: number }) => {
        const pin = ownOf(added.pins, id);
        return pin !== undefined && pin.x === at.x && pin.y === at.y;
      };
      setMoved((m) => Object.fromEntries(Object.entries(m).filter(([id, at]) => !pinnedThen(id, at))));
    }
    setHistory((h) => undo(h));
  }, []);
  const doRedo = useCallback(() => {
    const added = pinnedByAdd.current;
    const h = historyNow.current;
    // Places set since (a drag) win over the ones the add had pinned.
    if (added && canRedo(h) && redo(h).present === added.def) setMoved((m) => ({ ...added.pins, ...m }));
    setHistory((now) => redo(now));
  }, []);

  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      // Under the "Sign in again" box the page is inert: a key pressed in the box, or with the focus on the page's body, is not the editor's.
      const underDialog = sectionRef.current?.closest('[inert]') != null || target?.closest('[role="dialog"], [role="alertdialog"], dialog') != null;
      const action = undoKeyAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, target, underDialog });
      if (action === null || textLocked) return;
      e.preventDefault();
      if (action === 'redo') doRedo();
      else doUndo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo, textLocked]);

  // Selection that no longer names anything (after undo, delete, rename) is dropped.
  useEffect(() => {
    if (selection?.kind === 'state' && !def.states[selection.name]) setSelection(null);
    if (selection?.kind === 'transition' && !def.states[selection.from]?.transitions?.[selection.index]) setSelection(null);
  }, [def, selection]);

  const shape = model.nodes.map((n) => `${n.id}:${n.steps.length}`).join('|') + '/' + model.edges.map((e) => `${e.from}>${e.to}`).join('|');
  const layout = useMemo(
    () =>
      layeredLayout(
        model.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: estimatedHeight(n) })),
        model.edges.map((e) => ({ id: e.id, source: e.from, target: e.to, text: e.label })),
      ),
    [shape],
  );
  const sizeOf = (n: EditorModelNode) => ownOf(sizes, n.id) ?? { width: NODE_WIDTH, height: estimatedHeight(n) };
  const nodes: EditorNodeType[] = model.nodes.map((n) => {
    const size = sizeOf(n);
    return {
      id: n.id,
      type: 'editable',
      // The size React Flow measured: node objects are built afresh on every render, and one without it is hidden until measured again.
      // Until measured, the estimate: the node is drawn at once instead of staying hidden.
      ...(ownOf(sizes, n.id) ? { measured: size } : { initialWidth: size.width, initialHeight: size.height }),
      // Handle places given, as on the campaign graph (EditorNode's `in` and `out`).
      handles: nodeHandles(size, { target: 'in', source: 'out' }),
      position: ownOf(moved, n.id) ?? layout.nodes.get(n.id) ?? { x: 0, y: 0 },
      data: { node: n, selected: selection?.kind === 'state' && selection.name === n.id, reached: taken.some((t) => t.to === n.id) },
      // A fixed width, as the layout assumed; issue text wraps inside it.
      style: { width: NODE_WIDTH },
      selected: selection?.kind === 'state' && selection.name === n.id,
      // Tab reaches the state: it is named as it reads (React Flow gives it a role, not a name).
      ariaLabel: stateName(n, def.states[n.id]?.transitions?.length ?? 0),
    };
  });
  /** From the source's bottom handle to the target's top one (nodeHandles), bent across the line between the states at its fan's slot (fanMiddle), where its label sits. */
  const fannedRoute = (from: string, to: string, fan: EdgeFan) => {
    const source = nodes.find((n) => n.id === from);
    const target = nodes.find((n) => n.id === to);
    if (!source || !target) return null;
    const [sourceSize, targetSize] = [sizeOf(source.data.node), sizeOf(target.data.node)];
    const start = { x: source.position.x + sourceSize.width / 2, y: source.position.y + sourceSize.height };
    const end = { x: target.position.x + targetSize.width / 2, y: target.position.y };
    const middle = fanMiddle(fan, start, end, { ...source.position, ...sourceSize }, { ...target.position, ...targetSize });
    return { points: [start, middle, end], label: middle };
  };
  const labelOf = (e: (typeof model.edges)[number]) => (e.issues.length > 0 ? `⚠ ${e.label}` : e.label);
  // The labels of each state's loops drawn so far: a state's next loop goes round them (as layeredLayout does).
  const loopsSoFar = new Map<string, string[]>();
  // Transitions joining the same two states (either way) fanned out beside each other, as on the campaign graph: drawn straight, they were one line with their labels on top of each other.
  const fans = edgeFans(model.edges.map((e) => ({ id: e.id, source: e.from, target: e.to, text: labelOf(e) })));
  const edges: Edge[] = model.edges.map((e) => {
    const chosen = selection?.kind === 'transition' && selection.from === e.from && selection.index === e.index;
    const previewed = taken.some((t) => t.from === e.from && t.to === e.to);
    const label = labelOf(e);
    // A transition back to its own state: a loop round the state's side as on the campaign graph (a default edge ran behind the state, its label hidden).
    const node = e.from === e.to ? nodes.find((n) => n.id === e.from) : undefined;
    const before = loopsSoFar.get(e.from) ?? [];
    if (node) loopsSoFar.set(e.from, [...before, label]);
    const loop = node ? loopRoute(node.position, sizeOf(node.data.node), label, loopShift(before)) : null;
    const fan = fans.get(e.id);
    const route = loop ?? (fan && fan.siblings > 1 ? fannedRoute(e.from, e.to, fan) : null);
    return {
      id: e.id,
      source: e.from,
      target: e.to,
      ...(route ? { type: 'routed', data: { from: e.from, index: e.index, bends: route.points.slice(1, -1), label: route.label, text: label, kind: 'on', tone: e.issues.length > 0 ? 'issue' : undefined } } : { label, data: { from: e.from, index: e.index } }),
      className: `${e.issues.length > 0 ? 'edge-issue' : ''} ${chosen ? 'edge-chosen' : ''} ${previewed ? 'edge-taken' : ''}`,
      labelStyle: e.issues.length > 0 ? { fill: 'var(--error)', fontWeight: 600 } : undefined,
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      style: e.issues.length > 0 ? { stroke: 'var(--error)', strokeWidth: 2 } : chosen ? { stroke: 'var(--accent)', strokeWidth: 2 } : previewed ? { stroke: 'var(--ok-line)', strokeWidth: 3 } : undefined,
      // The order is what decides between two transitions that could both fire: said with the rank when a state has more than one.
      // Its issues too, as a state's name has them (state-name.ts): painted on the edge, a keyboard user would never hear them.
      ariaLabel: `Transition ${e.rank !== null ? `${e.rank} of ${e.from}` : e.from} to ${e.to}: ${e.label}${e.issues.length === 0 ? '' : `; ${counted(e.issues.length, 'issue')}: ${e.issues.map((i) => i.message).join('; ')}`}`,
    };
  });

  /** Transitions (or split branches) whose `to` names no state, typed in the JSON or YAML tab: listed in the side panel to be opened. */
  const missingTargets = model.edges.filter((e) => !Object.prototype.hasOwnProperty.call(def.states, e.to));

  const entryOn = (def.entry as { on?: string | string[] } | undefined)?.on;
  /** The event type a new transition starts with: the campaign's first entry event. */
  const firstEntryOn = Array.isArray(entryOn) ? (entryOn[0] ?? 'order.completed') : (entryOn ?? 'order.completed');
  const connect = (from: string, to: string) => {
    const on = firstEntryOn;
    const index = def.states[from]?.transitions?.length ?? 0;
    if (apply(addTransition(def, from, { to, on }), 'step')) setSelection({ kind: 'transition', from, index });
  };
  const onConnect = (c: Connection) => {
    if (c.source && c.target) connect(c.source, c.target);
  };
  const onNodesChange = (changes: NodeChange<EditorNodeType>[]) => {
    const next = { ...moved };
    let any = false;
    const measured: Record<string, { width: number; height: number }> = {};
    for (const ch of changes) if (ch.type === 'dimensions' && ch.dimensions) measured[ch.id] = ch.dimensions;
    if (Object.keys(measured).length > 0) setSizes((s) => ({ ...s, ...measured }));
    for (const ch of changes) {
      // Enter or Space on a focused state (keyboard) selects it, as a click does.
      if (ch.type === 'select' && ch.selected) setSelection({ kind: 'state', name: ch.id });
      if (ch.type !== 'position' || !ch.position) continue;
      next[ch.id] = ch.position;
      any = true;
    }
    if (any) setMoved(next);
  };

  const [flow, setFlow] = useState<ReactFlowInstance<EditorNodeType, Edge> | null>(null);
  const pane = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  /**
   * A state or transition deleted from its panel takes the focused button with it: the focus goes to a state on
   * the canvas (the next one listed, or the transition's own), else the canvas, else the JSON or YAML text.
   */
  const focusAfterRemoval = useFocusAfterRemoval();
  const focusState = (name: string | undefined) =>
    focusAfterRemoval(() => (name === undefined ? null : pane.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(name)}"]`)) ?? pane.current ?? body.current?.querySelector('textarea'));
  const deleteSelectedState = (name: string) => {
    const names = Object.keys(def.states);
    const at = names.indexOf(name);
    focusState(names[at + 1] ?? names[at - 1]);
    if (apply(deleteState(def, name))) setSelection(null);
  };
  const deleteSelectedTransition = (from: string, index: number) => {
    focusState(from);
    if (apply(removeTransition(def, from, index))) setSelection(null);
  };
  /**
   * Move earlier/later and Add transition open another Transition panel (its own per transition), taking the
   * focused button with the old one: the focus goes to the same control of the new panel.
   */
  const focusInTransitionPanel = (pick: (panel: HTMLElement) => HTMLElement | null | undefined) =>
    focusAfterRemoval(() => {
      const panel = body.current?.querySelector<HTMLElement>('[role="region"][aria-label="Transition"]');
      return panel ? pick(panel) : null;
    });
  const buttonIn = (panel: HTMLElement, text: string) => [...panel.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text && !b.disabled);
  const moveSelectedTransition = (from: string, index: number, toIndex: number) => {
    const [pressed, other] = toIndex < index ? ['Move earlier', 'Move later'] : ['Move later', 'Move earlier'];
    // At the first or last place the pressed button is disabled: the other one then.
    focusInTransitionPanel((panel) => buttonIn(panel, pressed) ?? buttonIn(panel, other));
    if (apply(moveTransition(def, from, index, toIndex), 'step')) setSelection({ kind: 'transition', from, index: toIndex });
  };
  /** States added on this canvas: see placeForNewState. */
  const addedHere = useRef(new Set<string>());
  // A click whose press began on a state selects that state, wherever a redraw during the press sent the click.
  const press = usePressedNode();
  const onClickCapture = (e: ReactMouseEvent) => {
    const id = press.chosenAt(e);
    // A drag from a state's handle dropped on that same state (a transition to itself) ends in a click on the state: not a click, the new transition stays open.
    if (press.clickEndedDrawing()) {
      e.stopPropagation();
      return;
    }
    // A state renamed by the field this press left is already selected under its new name.
    if (id !== null && def.states[id]) setSelection({ kind: 'state', name: id });
  };
  /** Beside the selected state, or in the middle of what the canvas shows; clear of every state drawn. */
  const placeForNewState = (): { x: number; y: number } | null => {
    const box = pane.current?.getBoundingClientRect();
    if (!flow || !box || box.width === 0) return null;
    const topLeft = flow.screenToFlowPosition({ x: box.left, y: box.top });
    const bottomRight = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
    const view = { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
    // A state added here is measured before its problems are shown (they come with the next check), which makes it taller:
    // taken as a new state is, or the next one added right after it went over its lower half.
    const drawn = flow.getNodes().map((n) => {
      const least = addedHere.current.has(n.id) ? NEW_STATE_SIZE : { width: 0, height: 0 };
      const width = Math.max(n.measured?.width ?? NEW_STATE_SIZE.width, least.width);
      return { id: n.id, x: n.position.x, y: n.position.y, width, height: Math.max(n.measured?.height ?? NEW_STATE_SIZE.height, least.height) };
    });
    const near = selection?.kind === 'state' ? (drawn.find((n) => n.id === selection.name) ?? null) : null;
    return newStatePlace(NEW_STATE_SIZE, drawn, view, near);
  };

  const addNewState = () => {
    const name = newState.trim();
    const place = name ? placeForNewState() : null;
    const added = name ? addState(def, name) : null;
    if (added && apply(added, 'step')) {
      addedHere.current.add(name);
      setNewState('');
      setSelection({ kind: 'state', name });
      // Every state stays where it is drawn (a new state re-runs the automatic layout of those not placed yet), the new one where it fits.
      if (place && added.ok) {
        const pins = Object.fromEntries(nodes.filter((n) => !ownOf(moved, n.id)).map((n) => [n.id, n.position]));
        pinnedByAdd.current = { def: added.value, pins: { ...pins, [name]: place } };
        setMoved({ ...moved, ...pins, [name]: place });
      }
    }
  };

  // Every node's place as drawn is what gets saved, with the stored places of nodes the canvas does not draw (the entry's);
  // the places pinned (loaded or dragged) are what counts as a change.
  const drawn = withUndrawn(base?.layout ?? null, layoutOf(nodes.map((n) => [n.id, n.position])));
  const plan = savePlan(base, def, layoutOf(nodes.filter((n) => ownOf(moved, n.id)).map((n) => [n.id, n.position])));
  // Text typed in a field that applies when left counts: leaving the editor would lose it, and Save applies it.
  const unsaved = plan.kind !== 'nothing' || notApplied.length > 0 || typing > 0;
  useLeaveGuard(unsaved ? 'Leave the editor? What you changed since the last save will be lost.' : null);
  // A save of this editor got no answer (Kairos may have stored it): only then is a refused create whose key holds this draft its own.
  const answerLost = useRef(false);
  const save = async (forceOnto?: number) => {
    setShowAll(true);
    if (notApplied.length > 0) {
      setProblem(`Not saved: ${notApplied.join('; ')}. Fix it, or undo it.`);
      return;
    }
    setProblem(null);
    setShip({ busy: true, error: null, done: null });
    const placedBefore = moved;
    try {
      const result = await saveVersion(plan, base, def, drawn, { forceOnto, answerLost: answerLost.current });
      answerLost.current = false;
      setBase(result.base);
      // A state dragged while the save was on its way stays where it was dropped (and is the next save's change).
      setMoved((now) => placesAfterSave(drawn, placedBefore, now));
      setStored({ key: result.base.key, version: result.base.version });
      // Created from /console/new: from now on the address is this campaign's editor, so a reload keeps it.
      if (plan.kind === 'create') replaceUrl(href.edit(result.base.key));
      setShip({ busy: false, error: null, done: result.message });
    } catch (error) {
      answerLost.current = isNoAnswer(error);
      setShip({ busy: false, error, done: null });
    }
  };
  const activate = async () => {
    if (!stored?.version) return;
    const { key, version } = stored;
    setShowAll(true);
    setShip({ busy: true, error: null, done: null });
    try {
      // Read as it is now, not as when the canvas opened: someone may have activated a newer version since.
      const now = await unwrap(client().GET('/v1/campaigns/{key}/versions', { params: { path: { key } } }));
      // Going back to an older version sends new entries to it: asked, as on the campaign's page.
      if (now.activeVersion !== null && version < now.activeVersion && !window.confirm(`Activate v${version} of ${key}, older than the active v${now.activeVersion}? New entries will run v${version}.`)) {
        setShip({ busy: false, error: null, done: null });
        return;
      }
      // The canvas does not show the campaign's status: it activates or switches the version, and never resumes a campaign someone
      // paused (a 409 that says so); nor does it switch over a version activated after the read above.
      const body = { version, ifStatus: ['draft', 'active'] as Array<'draft' | 'active'>, ifActiveVersion: now.activeVersion };
      await unwrap(client().POST('/v1/campaigns/{key}/activate', { params: { path: { key } }, body }));
      setShip({ busy: false, error: null, done: `Activated ${key} v${version}.` });
    } catch (error) {
      setShip({ busy: false, error, done: null });
    }
  };
  const shipAnswer = useRef<HTMLDivElement>(null);
  useFocusAfterBusy(ship.busy, shipAnswer);
  const versionConflict = ship.error instanceof VersionConflict ? ship.error : null;
  const conflict = ship.error && !versionConflict ? describeError(ship.error) : null;

  return (
    <TouchField.Provider value={touchField}>
      <PendingFieldsProvider value={fieldReports}>
        <DurationDraftsContext.Provider value={durations.api}>
          <section className="editor" ref={sectionRef}>
            <PageHead back={{ to: href.campaigns(), label: 'Campaigns' }} title={def.name}>
              <span className="muted">{stored ? `editing ${stored.key}${stored.version ? ` (saved v${stored.version})` : ''}` : 'new draft, not saved'}</span>
            </PageHead>
            <div className="toolbar" role="toolbar" aria-label="Editor">
              {/* Each of these rewrites the text view from the campaign: locked while its text does not parse, as the side panels are. */}
              <button type="button" onClick={doUndo} disabled={!canUndo(history) || textLocked} title={textLocked ? lockedWhy : 'Ctrl-Z'}>
                Undo
              </button>
              <button type="button" onClick={doRedo} disabled={!canRedo(history) || textLocked} title={textLocked ? lockedWhy : 'Ctrl-Shift-Z'}>
                Redo
              </button>
              <input aria-label="New state name" placeholder="state name" value={newState} disabled={textLocked} title={textLocked ? lockedWhy : undefined} onChange={(e) => setNewState(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addNewState()} />
              <button type="button" onClick={addNewState} disabled={textLocked} title={textLocked ? lockedWhy : undefined}>
                Add state
              </button>
              <span className="sep" />
              <button type="button" aria-pressed={view === 'canvas'} onClick={() => switchView('canvas')}>
                Canvas
              </button>
              <button type="button" aria-pressed={view === 'json'} onClick={() => switchView('json')}>
                JSON
              </button>
              <button type="button" aria-pressed={view === 'yaml'} onClick={() => switchView('yaml')}>
                YAML
              </button>
              <span className="sep" />
              <span
                data-testid="validity"
                className={`badge ${badge.tone === 'checking' ? '' : `badge-${badge.tone}`}`}
                title={badge.tone === 'held' ? 'It can be saved; activating it will be refused until the reward pools it names exist, of the right kind.' : undefined}
              >
                {badge.text}
              </span>
              <button type="button" className="primary" disabled={ship.busy || !unsaved} onClick={() => void save()}>
                {plan.kind === 'create' ? 'Create campaign' : plan.kind === 'layout' ? 'Save layout' : plan.kind === 'nothing' ? (unsaved ? 'Save' : 'Saved') : 'Save as new version'}
              </button>
              {stored?.version && stored.version > 1 ? (
                <a className="button" href={href.diff(stored.key, stored.version - 1, stored.version)} target="_blank" rel="opener" title="Opens in a new tab (signed in, as this one), so this draft stays">
                  Diff v{stored.version - 1} → v{stored.version}
                </a>
              ) : null}
              <button
                type="button"
                disabled={ship.busy || !stored?.version || unsaved}
                title={unsaved && stored?.version ? `Activates the saved v${stored.version}, not this draft: save it first.` : undefined}
                onClick={() => void activate()}
              >
                Activate{stored?.version ? ` v${stored.version}` : ''}
              </button>
            </div>
            {problem && (
              <div className="error" role="alert">
                {problem}
              </div>
            )}
            {/* Where the keyboard focus goes when Save or Activate was disabled by its own request (useFocusAfterBusy). */}
            <div ref={shipAnswer} tabIndex={-1} data-testid="ship-answer">
              {versionConflict && <VersionConflictBox conflict={versionConflict} busy={ship.busy} onForce={(onto) => void save(onto)} />}
              {conflict && (
                <div className="error" role="alert" data-testid="ship-error">
                  <strong>{(ship.error as { status?: number }).status === 409 ? 'Conflict (409): ' : ''}</strong>
                  {conflict.message}
                  <ProblemList details={conflict.details} />
                </div>
              )}
              {ship.done && (
                <div className="ok-box" role="status" data-testid="ship-done">
                  {ship.done}{' '}
                  {stored && <Link to={href.campaign(stored.key)}>Open its graph</Link>}
                </div>
              )}
            </div>
            {leaving && textProblem && (
              <div className="error" role="alert" data-testid="text-unparsed">
                The {VIEW_NAMES[textProblem.view]} does not parse{textProblem.line !== null ? ` (line ${textProblem.line})` : ''}, so the campaign does not have this edit; opening {VIEW_NAMES[leaving]} would drop it.{' '}
                <button type="button" onClick={() => setLeaving(null)}>
                  Keep editing the {VIEW_NAMES[textProblem.view]}
                </button>{' '}
                <button type="button" className="danger" onClick={dropText}>
                  Drop the edit and open {VIEW_NAMES[leaving]}
                </button>
              </div>
            )}
            <ErrorBox error={validation.error} />
            <div className="campaign-body" ref={body}>
              {view === 'canvas' ? (
                // Focusable by script (tabIndex -1): where the focus goes when nothing nearer is left (focusAfterRemoval).
                <div className="graph" data-testid="canvas" ref={pane} tabIndex={-1} onPointerDownCapture={press.onPointerDownCapture} onClickCapture={onClickCapture}>
                  <PartErrorBoundary what="canvas" hint={KEPT} resetKey={def}>
                    <ReactFlow
                      onInit={setFlow}
                      nodes={nodes}
                      edges={edges}
                      nodeTypes={nodeTypes}
                      edgeTypes={edgeTypes}
                      onNodesChange={onNodesChange}
                      onConnect={onConnect}
                      onNodeClick={(_, n) => press.clickChoseNode() || setSelection({ kind: 'state', name: n.id })}
                      onEdgeClick={(_, e) => press.clickChoseNode() || setSelection({ kind: 'transition', from: (e.data as { from: string }).from, index: (e.data as { index: number }).index })}
                      onEdgesChange={(changes) => {
                        // Enter or Space on a focused transition (keyboard) selects it, as a click does.
                        const chosen = changes.find((ch) => ch.type === 'select' && ch.selected);
                        const edge = chosen && 'id' in chosen ? edges.find((e) => e.id === chosen.id) : undefined;
                        const at = edge?.data as { from: string; index: number } | undefined;
                        if (at) setSelection({ kind: 'transition', from: at.from, index: at.index });
                      }}
                      onPaneClick={() => press.clickChoseNode() || setSelection(null)}
                      proOptions={{ hideAttribution: true }}
                      colorMode={scheme}
                      deleteKeyCode={null}
                      minZoom={0.2}
                    >
                      <Background gap={24} color="var(--grid)" />
                      {/* Fits when states are removed or renamed (no smaller than readable), not when one is added: it is placed in view. */}
                      <FitControls ids={model.nodes.map((n) => n.id)} anchorId={def.initial} keepOnAdd />
                    </ReactFlow>
                  </PartErrorBoundary>
                </div>
              ) : view === 'json' ? (
                <JsonView def={def} issues={everyTargeted} onChange={applyDefinition} onProblem={setTextProblem} />
              ) : (
                <YamlView def={def} issues={everyTargeted} onChange={applyDefinition} onProblem={setTextProblem} />
              )}
              <aside className="side">
                {textProblem && (
                  <p className="panel muted small" role="note" data-testid="side-waits">
                    The {VIEW_NAMES[textProblem.view]} does not parse, so these fields are locked until it does (or its edit is dropped): an edit here would replace the text.
                  </p>
                )}
                {/* An edit here rewrites the text view from the campaign, which would drop text that does not parse without asking. */}
                <fieldset className="side-fields" disabled={textLocked}>
                  {/* The condition and amount cells are no form controls: the fieldset does not lock them, they read this. */}
                  <FieldsLocked.Provider value={textLocked}>
                  <PartErrorBoundary what="side panel" hint={KEPT} resetKey={def}>
                    {selection?.kind === 'state' && def.states[selection.name] && (
                      <StatePanel
                        def={def}
                        name={selection.name}
                        issues={model.all}
                        onRename={(to) => {
                          const renamed = renameState(def, selection.name, to);
                          // Refused: said under the name field, where it was typed.
                          if (!renamed.ok) return renamed.issues.map((i) => i.message).join('; ');
                          apply(renamed);
                          // A renamed state keeps its place on the canvas, and the old name keeps it too: Undo brings the state back
                          // where it was (only drawn states are saved, so the extra place is never stored).
                          const from = selection.name;
                          setMoved((m) => (m[from] ? { ...m, [to]: m[from] } : m));
                          setSelection({ kind: 'state', name: to });
                          return null;
                        }}
                        onEnd={(end) => apply(setEnd(def, selection.name, end))}
                        onInitial={() => apply(setInitial(def, selection.name))}
                        onDelete={() => deleteSelectedState(selection.name)}
                        onActions={(a) => apply(setActions(def, selection.name, a))}
                        onAddTransition={(to) => {
                          // The keyboard's way to draw: the focus goes on to the new transition's trigger.
                          focusInTransitionPanel((panel) => panel.querySelector<HTMLElement>('select[aria-label="Trigger"]'));
                          connect(selection.name, to);
                        }}
                      />
                    )}
                    {selection?.kind === 'transition' && (
                      <TransitionPanel
                        // Its own panel per transition: what one remembers (the event type before another kind was tried) is not the next one's.
                        key={`${selection.from}#${selection.index}`}
                        def={def}
                        from={selection.from}
                        index={selection.index}
                        issues={model.all}
                        onChange={(t) => apply(updateTransition(def, selection.from, selection.index, t))}
                        onDelete={() => deleteSelectedTransition(selection.from, selection.index)}
                        onMove={(toIndex) => moveSelectedTransition(selection.from, selection.index, toIndex)}
                        entryOn={firstEntryOn}
                      />
                    )}
                    {missingTargets.length > 0 && (
                      // React Flow draws no edge to a state that is not there: these could not be clicked or tabbed to on the canvas.
                      <div className="panel" role="region" aria-label="Transitions to missing states">
                        <h2>Transitions to missing states</h2>
                        <ul className="plain">
                          {missingTargets.map((e) => (
                            <li key={e.id}>
                              <button type="button" className="link-button" onClick={() => setSelection({ kind: 'transition', from: e.from, index: e.index })}>
                                {`Transition ${e.rank !== null ? `${e.rank} of ${e.from}` : e.from} to ${e.to}`}
                              </button>{' '}
                              <span className="muted small">(no state {e.to})</span>
                            </li>
                          ))}
                        </ul>
                      </div>
                    )}
                    <CampaignPanel def={def} issues={model.campaignIssues} keyFixed={stored !== null} onChange={applyDefinition} />
                    <CampaignPanels def={def} issues={model.campaignIssues} onChange={applyDefinition} />
                    {stored && <PreviewPanel campaignKey={stored.key} canvas={{ version: stored.version, unchanged: plan.kind === 'nothing' || plan.kind === 'layout' }} onResult={setTaken} />}
                    {/* The last text that parsed has these issues: not listed as if current, as the text view does not. */}
                    {!textProblem && <IssuesPanel shown={model.all} waiting={waiting} onShowAll={() => setShowAll(true)} />}
                  </PartErrorBoundary>
                  </FieldsLocked.Provider>
                </fieldset>
                <div className="panel muted small">Drag from a state's bottom handle to another state to add a transition; click a state or a transition to edit it. Drag states to arrange them: positions are saved with the version (moving only positions saves the layout, not a new version).</div>
              </aside>
            </div>
          </section>
        </DurationDraftsContext.Provider>
      </PendingFieldsProvider>
    </TouchField.Provider>
  );
}
