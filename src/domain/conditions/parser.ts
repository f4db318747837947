/**
 * Recursive-descent parser for the expression notation. Precedence, loosest
 * first: `|| or`, `&& and`, prefix `! not`, one comparison, `+ -`, `* /`,
 * unary `-`. `!` binds looser than comparisons (unlike JavaScript) so that
 * `!event.x == 1` means "not (x == 1)", which is what people mean.
 */
import { lex, type Token } from './lexer';
import { CMP_SPELLINGS, MAX_DEPTH, type CmpOp, type Loc, type Syn } from './syntax';

export type ParseResult = { ok: true; syn: Syn } | { ok: false; message: string; position: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null', 'in', 'nin', 'contains', 'startsWith', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte']);

class ParseError {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

export function parseExpression(src: string, path: string): ParseResult {
  const lexed = lex(src);
  if (!lexed.ok) return lexed;
  try {
    const p = new Parser(lexed.tokens, path);
    const syn = p.expression();
    p.expectEnd();
    return { ok: true, syn };
  } catch (e) {
    // The parser only throws its own ParseError; anything else is a bug and must surface.
    if (e instanceof ParseError) return { ok: false, message: e.message, position: e.position };
    throw e;
  }
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'eof':
      return 'end of expression';
    case 'str':
      return 'a string';
    case 'num':
      return `'${tok.value}'`;
    default:
      return `'${tok.value}'`;
  }
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly path: string,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.t !== 'eof') this.i++;
    return tok;
  }

  private loc(pos: number): Loc {
    return { path: this.path, position: pos };
  }

  private isPunct(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'punct' && tok.value === v;
  }

  private isWord(v: string, offset = 0): boolean {
    const tok = this.peek(offset);
    return tok.t === 'word' && tok.value === v;
  }

  private fail(what: string): never {
    const tok = this.peek();
    // A plain word where an operator belongs is most likely a misspelt word operator (`price foo 20`);
    // a word followed by '.' or '(' is rather a missing operator before a fact or a call.
    const after = this.peek(1);
    const looksLikeOperand = after.t === 'punct' && (after.value === '.' || after.value === '(');
    if (tok.t === 'word' && !KEYWORDS.has(tok.value) && !looksLikeOperand) throw new ParseError(`unknown operator '${tok.value}'`, tok.pos);
    throw new ParseError(`expected ${what}, found ${describe(tok)}`, tok.pos);
  }

  private expectPunct(v: string, what: string): void {
    if (!this.isPunct(v)) this.fail(what);
    this.next();
  }

  expectEnd(): void {
    if (this.peek().t !== 'eof') this.fail('an operator or the end of the expression');
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new ParseError(`expression nested more than ${MAX_DEPTH} levels deep`, pos);
  }

  /** A long `a + b + c ...` builds a tree as deep as it is long; bound it like nesting. */
  private chain(length: number, pos: number): void {
    if (length + this.depth > MAX_DEPTH) throw new ParseError(`more than ${MAX_DEPTH} arithmetic operators in a row`, pos);
  }

  expression(): Syn {
    return this.or();
  }

  private or(): Syn {
    const first = this.and();
    const items = [first];
    let pos = -1;
    while (this.isPunct('||') || this.isWord('or')) {
      if (pos < 0) pos = this.peek().pos;
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? first : { kind: 'any', items, loc: this.loc(pos) };
  }

  private and(): Syn {
    const first = this.unary();
    const items = [first];
    let pos = -1;
    while (this.isPunct('&&') || this.isWord('and')) {
      if (pos < 0) pos = this.peek().pos;
      this.next();
      items.push(this.unary());
    }
    return items.length === 1 ? first : { kind: 'all', items, loc: this.loc(pos) };
  }

  private unary(): Syn {
    if (this.isPunct('!') || this.isWord('not')) {
      const pos = this.next().pos;
      this.enter(pos);
      const operand = this.unary();
      this.depth--;
      return { kind: 'not', operand, loc: this.loc(pos) };
    }
    return this.comparison();
  }

  /** Returns the operator at the cursor (consuming it), or null. */
  private comparisonOperator(): { op: CmpOp; pos: number } | null {
    const tok = this.peek();
    if (tok.t === 'word' && tok.value === 'not' && this.isWord('in', 1)) {
      this.next();
      this.next();
      return { op: 'nin', pos: tok.pos };
    }
    if ((tok.t === 'punct' || tok.t === 'word') && Object.prototype.hasOwnProperty.call(CMP_SPELLINGS, tok.value) && tok.value !== 'not in') {
      this.next();
      return { op: CMP_SPELLINGS[tok.value], pos: tok.pos };
    }
    return null;
  }

  private comparison(): Syn {
    const left = this.additive();
    const found = this.comparisonOperator();
    if (!found) return left;
    const right = this.additive();
    const again = this.peek();
    if (this.comparisonOperator()) throw new ParseError('comparisons cannot be chained; use && between them', again.pos);
    return { kind: 'cmp', op: found.op, left, right, loc: this.loc(found.pos) };
  }

  private additive(): Syn {
    let left = this.multiplicative();
    let chain = 0;
    while (this.isPunct('+') || this.isPunct('-')) {
      const tok = this.next();
      this.chain(++chain, tok.pos);
      const right = this.multiplicative();
      left = { kind: 'arith', op: (tok as { value: '+' | '-' }).value, left, right, loc: this.loc(tok.pos) };
    }
    return left;
  }

  private multiplicative(): Syn {
    let left = this.negation();
    let chain = 0;
    while (this.isPunct('*') || this.isPunct('/')) {
      const tok = this.next();
      this.chain(++chain, tok.pos);
      const right = this.negation();
      left = { kind: 'arith', op: (tok as { value: '*' | '/' }).value, left, right, loc: this.loc(tok.pos) };
    }
    return left;
  }

  private negation(): Syn {
    if (!this.isPunct('-')) return this.primary();
    const pos = this.next().pos;
    this.enter(pos);
    const operand = this.negation();
    this.depth--;
    return { kind: 'neg', operand, loc: this.loc(pos) };
  }

  private primary(): Syn {
    const tok = this.peek();
    switch (tok.t) {
      case 'num':
        this.next();
        return { kind: 'num', value: tok.value, loc: this.loc(tok.pos) };
      case 'str':
        this.next();
        return { kind: 'str', value: tok.value, loc: this.loc(tok.pos) };
      case 'word':
        return this.word(tok);
      case 'punct':
        if (tok.value === '(') {
          this.next();
          this.enter(tok.pos);
          const inner = this.expression();
          this.depth--;
          this.expectPunct(')', "')'");
          return inner;
        }
        if (tok.value === '[') return this.list(tok);
        break;
    }
    return this.fail('a value');
  }

  private list(open: Token): Syn {
    this.next();
    this.enter(open.pos);
    const items: Syn[] = [];
    if (!this.isPunct(']')) {
      for (;;) {
        items.push(this.additive());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expectPunct(']', "',' or ']'");
    this.depth--;
    return { kind: 'list', items, loc: this.loc(open.pos) };
  }

  private word(tok: Token & { t: 'word' }): Syn {
    this.next();
    const loc = this.loc(tok.pos);
    if (tok.value === 'true' || tok.value === 'false') return { kind: 'bool', value: tok.value === 'true', loc };
    if (tok.value === 'null') return { kind: 'null', loc };
    if (KEYWORDS.has(tok.value)) throw new ParseError(`unexpected '${tok.value}'`, tok.pos);
    if (this.isPunct('(')) return this.call(tok.value, loc);
    const segments = [tok.value];
    while (this.isPunct('.')) {
      this.next();
      const seg = this.peek();
      if (seg.t !== 'word') this.fail('a property name after \'.\'');
      this.next();
      segments.push(seg.value as string);
    }
    return { kind: 'name', segments, loc };
  }

  private call(name: string, loc: Loc): Syn {
    this.next();
    this.enter(loc.position ?? 0);
    const args: Syn[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.expression());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expectPunct(')', "',' or ')'");
    this.depth--;
    return { kind: 'call', name, args, loc };
  }
}
