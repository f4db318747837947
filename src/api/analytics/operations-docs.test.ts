import { readFileSync } from 'node:fs';
import path from 'node:path';
import { graphModel, type ApiGraph } from '../../../console/src/pages/campaign/graph-model';

/** docs/operations.md as one line of words (its lines joined). */
const operations = () => readFileSync(path.join(__dirname, '../../../docs/operations.md'), 'utf8').replace(/\s+/g, ' ');

const node = (id: string, kind: 'entry' | 'state' | 'end') => ({ id, kind, label: id, initial: id === 'A', strategy: null, condition: null, actions: [], steps: [], temporalUrl: null });
const edge = (from: string, to: string) => ({ id: `${from}>${to}`, from, to, kind: 'on', label: 'e', order: 0 });

// Review 62, finding 4: after funnel:rebuild on a pruned log, the docs said the console draws the folded edge A → C
// that the funnel lists; its graph is drawn from the campaign's own transitions, so the edge is nowhere on the page.
describe("docs/operations.md on a rebuilt funnel's folded edges", () => {
  it('says the funnel lists A → C and the console does not draw it, as the graph model does', () => {
    const graph: ApiGraph = { nodes: [node('A', 'state'), node('B', 'state'), node('C', 'end')], edges: [edge('A', 'B'), edge('B', 'C')], exitOn: [] };
    const folded = graphModel(graph, { states: [], edges: [{ from: 'A', to: 'C', count: 3 }] });
    expect(folded.edges.map((e) => `${e.source}>${e.target} ${e.count}`)).toEqual(['A>B 0', 'B>C 0']);

    const text = operations();
    expect(text).not.toMatch(/then lists and the console draws/);
    expect(text).toMatch(/which `GET \/v1\/campaigns\/:key\/funnel` then lists; the console does not draw it/);
  });
});
