import { SourceDefinition, SourceList, SourceView } from '../sources/sources.schemas';
import type { ApiRoute } from './api-routes';

const exampleSource = {
  key: 'shop-orders',
  broker: 'rabbitmq',
  queue: 'shop.order-paid',
  prefetch: 200,
  concurrency: 4,
  mapping: {
    id: { path: 'orderNo', prefix: 'order.paid:' },
    type: { const: 'order.completed' },
    userId: 'buyer.uid',
    occurredAt: 'paidAt',
    properties: { amount: 'amount', orderNo: 'orderNo' },
  },
};

/** Event sources (RabbitMQ, NATS JetStream), spread into apiRoutes. */
export const sourceRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/v1/sources',
    operationId: 'createSource',
    role: 'operator',
    summary:
      'Add an event source: a RabbitMQ queue or a NATS JetStream stream and subject, its concurrency and prefetch, and the mapping from a message to an event ' +
      '(paths into the JSON message, constants, renames). Every API instance starts consuming it; messages take the POST /v1/events path, ' +
      'those that do not map go to the dead-letter queue (`<queue>.dlq` via `<queue>.dlx`) or subject (`<subject>.dlq`) with the reason.',
    body: SourceDefinition,
    example: exampleSource,
    success: { status: 201, schema: SourceView, description: 'Stored; consuming.' },
    errors: [409],
  },
  {
    method: 'get',
    path: '/v1/sources',
    operationId: 'listSources',
    role: 'operator',
    summary: "Every source with its definition, version and this instance's consumer state.",
    success: { status: 200, schema: SourceList, description: 'The sources.' },
  },
  {
    method: 'get',
    path: '/v1/sources/{key}',
    operationId: 'getSource',
    role: 'operator',
    summary: "One source with its definition, version and this instance's consumer state.",
    success: { status: 200, schema: SourceView, description: 'The source.' },
    errors: [404],
  },
  {
    method: 'put',
    path: '/v1/sources/{key}',
    operationId: 'updateSource',
    role: 'operator',
    summary:
      'Replace a source (`key` may be left out; if given it must be the one in the path); `enabled: false` stops it. Every API instance restarts its consumer without a restart of its own. ' +
      'Unacknowledged messages stay in the broker and are consumed by the new definition.',
    body: SourceDefinition,
    example: exampleSource,
    success: { status: 200, schema: SourceView, description: 'The new version.' },
    errors: [404],
  },
];
