/**
 * Reads a condition written in any notation (expression string, 2-D array of
 * OR-groups, JSON tree, boolean) into the surface tree, extending the JSON
 * path as it descends so later errors point into the submitted document.
 */
import { joinPath, type DomainIssue } from '../issues';
import { isNumericText, isOrdering, literalProblems, numberAsTextMessage } from './lexer';
import { parseExpression } from './parser';
import { CMP_SPELLINGS, MAX_DEPTH, type Loc, type Syn } from './syntax';

const TREE_SHAPES = 'an expression string, true/false, a 2-D array of OR-groups, or an object with all / any / not / atLeast+of / fact+op+value';
const OPS = Object.keys(CMP_SPELLINGS).concat('exists').join(', ');

export class NotationReader {
  /**
   * `admission`: given when a campaign is admitted (saved or activated). What
   * is wrong with each leaf's literals (literalProblems on an expression
   * string, the same checks on a fact leaf's `value`) goes there, at the
   * leaf's own path (and position), whatever notation holds it: the
   * compiler refuses those on admission only, a stored version compiling as
   * it was accepted.
   */
  constructor(
    private readonly issues: DomainIssue[],
    private readonly admission?: DomainIssue[],
  ) {}

  private bad(loc: Loc, message: string): Syn {
    this.issues.push(loc.position === undefined ? { path: loc.path, message } : { path: loc.path, message, position: loc.position });
    return { kind: 'bad', loc };
  }

  /** An expression string at `path` (a condition or a value: the lowering decides). */
  expression(src: string, path: string): Syn {
    if (this.admission) for (const { message, position } of literalProblems(src)) this.admission.push({ path, message, position });
    const parsed = parseExpression(src, path);
    if (!parsed.ok) return this.bad({ path, position: parsed.position }, parsed.message);
    return parsed.syn;
  }

  condition(source: unknown, path: string, depth = 0): Syn {
    const loc: Loc = { path };
    if (depth > MAX_DEPTH) return this.bad(loc, `condition nested more than ${MAX_DEPTH} levels deep`);
    if (typeof source === 'string') return this.expression(source, path);
    if (typeof source === 'boolean') return { kind: 'bool', value: source, loc };
    if (Array.isArray(source)) return this.grid(source, path, depth);
    if (source !== null && typeof source === 'object') return this.tree(source as Record<string, unknown>, path, depth);
    return this.bad(loc, `expected a condition (${TREE_SHAPES}), found ${describe(source)}`);
  }

  /**
   * The seed articles' notation: a list of OR-groups that must all hold.
   * A non-array element is a group of one, so `["a", "b"]` means a && b.
   */
  private grid(rows: unknown[], path: string, depth: number): Syn {
    if (rows.length === 0) return this.bad({ path }, 'an empty list is not a condition');
    const groups = rows.map((row, i): Syn => {
      const rowPath = joinPath(path, i);
      if (!Array.isArray(row)) return this.condition(row, rowPath, depth + 1);
      if (row.length === 0) return this.bad({ path: rowPath }, 'an empty OR-group is not a condition');
      const items = row.map((leaf, j) => this.condition(leaf, joinPath(rowPath, j), depth + 2));
      return items.length === 1 ? items[0] : { kind: 'any', items, loc: { path: rowPath } };
    });
    return groups.length === 1 ? groups[0] : { kind: 'all', items: groups, loc: { path } };
  }

  private list(source: unknown, path: string, depth: number): Syn[] | null {
    if (!Array.isArray(source)) {
      this.bad({ path }, `expected a list of conditions, found ${describe(source)}`);
      return null;
    }
    if (source.length === 0) {
      this.bad({ path }, 'expected at least one condition');
      return null;
    }
    return source.map((c, i) => this.condition(c, joinPath(path, i), depth + 1));
  }

  private tree(obj: Record<string, unknown>, path: string, depth: number): Syn {
    const keys = Object.keys(obj);
    const only = (...allowed: string[]): boolean => {
      const extra = keys.filter((k) => !allowed.includes(k));
      if (extra.length > 0) this.bad({ path: joinPath(path, extra[0]) }, `unexpected key '${extra[0]}' beside '${allowed[0]}'`);
      return extra.length === 0;
    };
    const loc: Loc = { path };
    if (keys.includes('all') || keys.includes('any')) {
      const kind = keys.includes('all') ? 'all' : 'any';
      if (!only(kind)) return { kind: 'bad', loc };
      const items = this.list(obj[kind], joinPath(path, kind), depth);
      return items === null ? { kind: 'bad', loc } : { kind, items, loc };
    }
    if (keys.includes('not')) {
      if (!only('not')) return { kind: 'bad', loc };
      return { kind: 'not', operand: this.condition(obj.not, joinPath(path, 'not'), depth + 1), loc };
    }
    if (keys.includes('atLeast')) {
      if (!only('atLeast', 'of')) return { kind: 'bad', loc };
      const kPath = joinPath(path, 'atLeast');
      const k = obj.atLeast;
      const kSyn: Syn = typeof k === 'number' ? { kind: 'num', value: k, loc: { path: kPath } } : this.bad({ path: kPath }, 'atLeast needs a whole number');
      const items = this.list(obj.of, joinPath(path, 'of'), depth);
      return items === null || kSyn.kind === 'bad' ? { kind: 'bad', loc } : { kind: 'atLeast', k: kSyn, items, loc };
    }
    if (keys.includes('fact')) return this.factLeaf(obj, path, only);
    return this.bad(loc, `expected a condition (${TREE_SHAPES}), found an object with keys ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : '(none)'}`);
  }

  private factLeaf(obj: Record<string, unknown>, path: string, only: (...allowed: string[]) => boolean): Syn {
    const loc: Loc = { path };
    if (!only('fact', 'op', 'value')) return { kind: 'bad', loc };
    const factPath = joinPath(path, 'fact');
    const opPath = joinPath(path, 'op');
    const left = typeof obj.fact === 'string' ? this.expression(obj.fact, factPath) : this.bad({ path: factPath }, 'fact must be a string such as "event.price"');
    const op = obj.op;
    if (op === 'exists') {
      if (hasOwn(obj, 'value')) return this.bad({ path: joinPath(path, 'value') }, "'exists' takes no value");
      return { kind: 'exists', operand: left, loc: { path: opPath } };
    }
    if (typeof op !== 'string' || !hasOwn(CMP_SPELLINGS, op)) {
      return this.bad({ path: opPath }, `unknown operator ${typeof op === 'string' ? `'${op}'` : describe(op)} (known: ${OPS})`);
    }
    if (!hasOwn(obj, 'value')) return this.bad({ path: joinPath(path, 'value') }, `'${op}' needs a value`);
    const right = this.literal(obj.value, joinPath(path, 'value'), 0);
    if (this.admission && right.kind !== 'bad') this.valueProblems(op, obj.value, joinPath(path, 'value'));
    if (left.kind === 'bad' || right.kind === 'bad') return { kind: 'bad', loc };
    return { kind: 'cmp', op: CMP_SPELLINGS[op], left, right, loc: { path: opPath } };
  }

  /**
   * A fact leaf's `value` (admitting): a number written as text in an
   * ordering. (Text PostgreSQL cannot store is refused in any JSON value,
   * at its path, by the campaign's schema already.)
   */
  private valueProblems(op: string, value: unknown, path: string): void {
    if (typeof value === 'string' && isOrdering(op) && isNumericText(value)) this.admission?.push({ path, message: numberAsTextMessage(value) });
  }

  /** `value` in a fact leaf is JSON data, never an expression: the string "abc" is the string abc. */
  private literal(v: unknown, path: string, depth: number): Syn {
    const loc: Loc = { path };
    if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'num', value: v, loc } : this.bad(loc, 'value must be a finite number');
    if (typeof v === 'string') return { kind: 'str', value: v, loc };
    if (typeof v === 'boolean') return { kind: 'bool', value: v, loc };
    if (v === null) return { kind: 'null', loc };
    if (Array.isArray(v) && depth < MAX_DEPTH) {
      const items = v.map((x, i) => this.literal(x, joinPath(path, i), depth + 1));
      return items.some((s) => s.kind === 'bad') ? { kind: 'bad', loc } : { kind: 'list', items, loc };
    }
    return this.bad(loc, `value must be a number, string, boolean, null or a list of them, found ${describe(v)}`);
  }
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v === undefined) return 'nothing';
  return `a ${typeof v}`;
}
