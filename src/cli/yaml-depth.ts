import { Composer, type CST, type Document, type DocumentOptions, type LineCounter, Parser, type ParseOptions, type SchemaOptions, YAMLParseError } from 'yaml';
import { MAX_JSON_DEPTH } from '../domain/storable';

/** A node of yaml's concrete syntax tree, as far as nesting goes: a collection's items hold further nodes. */
interface CstNode {
  type: string;
  offset?: number;
  value?: CstNode;
  items?: Array<{ key?: CstNode | null; value?: CstNode | null }>;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

export const TOO_DEEP_FILE = `nests lists and mappings deeper than Kairos takes (at most ${MAX_JSON_DEPTH} levels); nest it less deep`;

/**
 * yaml's parseDocument, with the nesting measured between its two steps.
 * yaml makes the concrete syntax tree with a stack of its own, but composes
 * the document from it (and visits and converts it) by recursion: a file
 * nested a few thousand levels deep (`[[[[...]]]]`, 10 KB of brackets) runs
 * out of stack there, at a depth that depends on the stack in use. So the
 * tree is measured first, iteratively, and one nested deeper than Kairos
 * takes in any request (MAX_JSON_DEPTH) is not composed: `tooDeepAt` is
 * where (an offset, placed by `lineCounter`). Each collection written is a
 * level of the value (a flow pair `[a: 1]` adds one more, never fewer), so
 * nothing valid is refused. The tree is made once, not once for each step.
 */
export function parseDocumentWithinDepth(
  text: string,
  options: DocumentOptions & ParseOptions & SchemaOptions & { lineCounter: LineCounter },
): { doc: Document.Parsed } | { tooDeepAt: number } {
  const tokens = [...new Parser(options.lineCounter.addNewLine).parse(text)];
  const tooDeepAt = tooDeepOffset(tokens);
  if (tooDeepAt !== undefined) return { tooDeepAt };
  // As parseDocument (yaml's public-api.js) does: the first document, and an error at the start of a second.
  let doc: Document.Parsed | undefined;
  for (const next of new Composer(options).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else if (doc.options.logLevel !== 'silent') {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(..., true) always gives a document, an empty one for an empty text.
  return { doc: doc! };
}

/** The offset of the first collection nested deeper than `maxDepth` in `tokens` (the document's value is level 1), or undefined. */
export function tooDeepOffset(tokens: CST.Token[], maxDepth = MAX_JSON_DEPTH): number | undefined {
  for (const token of tokens as CstNode[]) {
    if (token.type !== 'document' || !token.value) continue;
    const stack: Array<{ node: CstNode; depth: number }> = [{ node: token.value, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth: above } = stack.pop()!;
      if (!COLLECTIONS.has(node.type)) continue;
      const depth = above + 1;
      if (depth > maxDepth) return node.offset ?? 0;
      for (const item of node.items ?? []) {
        // A collection as a key is nested too (and refused later: a JSON key is text).
        if (item.key) stack.push({ node: item.key, depth });
        if (item.value) stack.push({ node: item.value, depth });
      }
    }
  }
  return undefined;
}
