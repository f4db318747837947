import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/** Ids listed per visibility query; keeps the query text well under the server's limit. */
const IDS_PER_QUERY = 100;
/** Ids that can sit in a quoted visibility literal as they are; others are asked one by one. */
const PLAIN_ID = /^[^'"\\]*$/;

/**
 * Which of `workflowIds` have a running execution. Listed through visibility
 * (one query per hundred ids); an id a query literal cannot carry is
 * described instead. Visibility lags a little behind a start, which is fine
 * here: the ids asked about belong to events older than a retention window.
 */
export async function runningWorkflows(client: Client, workflowIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(workflowIds)];
  const running = new Set<string>();
  const plain = ids.filter((id) => PLAIN_ID.test(id));
  for (let i = 0; i < plain.length; i += IDS_PER_QUERY) {
    const chunk = plain.slice(i, i + IDS_PER_QUERY);
    const query = `WorkflowId IN (${chunk.map((id) => `'${id}'`).join(', ')}) AND ExecutionStatus = 'Running'`;
    for await (const wf of client.workflow.list({ query })) running.add(wf.workflowId);
  }
  for (const id of ids.filter((x) => !PLAIN_ID.test(x))) {
    const status = await client.workflow
      .getHandle(id)
      .describe()
      .then((d) => d.status.name)
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return 'NOT_FOUND';
        throw err;
      });
    if (status === 'RUNNING') running.add(id);
  }
  return running;
}
