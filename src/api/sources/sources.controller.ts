import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { ReplaceSourceBody, SourceDefinition, SourceList, SourceView } from './sources.schemas';
import { SourcesService } from './sources.service';

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

/** Event sources (RabbitMQ, NATS JetStream). */
@Controller('v1/sources')
export class SourcesController {
  constructor(private readonly service: SourcesService) {}

  @Post()
  @ApiRoute({
    operationId: 'createSource',
    role: 'operator',
    summary:
      'Add an event source: a RabbitMQ queue or a NATS JetStream stream and subject, its concurrency and prefetch, and the mapping from a message to an event ' +
      '(paths into the JSON message, constants, renames). Every API instance starts consuming it; messages take the POST /v1/events path, ' +
      'those that do not map go to the dead-letter queue (`<queue>.dlq` via `<queue>.dlx`) or subject (`<subject>.dlq`) with the reason.',
    body: SourceDefinition,
    example: exampleSource,
    success: { status: 201, schema: SourceView, description: 'Stored; every instance starts its consumer. `state` is this instance\'s at the answer, usually `connecting`; GET it again for `consuming`.' },
    errors: [409],
  })
  create(@Body() body: unknown) {
    return this.service.create(body);
  }

  @Get()
  @ApiRoute({
    operationId: 'listSources',
    role: 'operator',
    summary: "Every source with its definition, version and this instance's consumer state.",
    success: { status: 200, schema: SourceList, description: 'The sources.' },
  })
  async list() {
    return { sources: await this.service.list() };
  }

  @Get(':key')
  @ApiRoute({
    operationId: 'getSource',
    role: 'operator',
    summary: "One source with its definition, version and this instance's consumer state.",
    success: { status: 200, schema: SourceView, description: 'The source.' },
    errors: [404],
  })
  get(@Param('key') key: string) {
    return this.service.get(key);
  }

  @Put(':key')
  @ApiRoute({
    operationId: 'updateSource',
    role: 'operator',
    summary:
      'Replace a source (`key` may be left out; if given it must be the one in the path); `enabled: false` stops it. Every API instance restarts its consumer without a restart of its own. ' +
      'Unacknowledged messages stay in the broker, and the new definition consumes them where it reads what the old one did: the same RabbitMQ `queue`, the same NATS `stream` and `durable`. ' +
      'On NATS, a new `durable` or `stream` is a new durable consumer, which starts `RETENTION_EVENTS_DAYS` less a day and an hour back (at the start of the stream while that is 0, at what is published from then on while it is 1): what the old durable had not acknowledged before that point stays with it, unconsumed. ' +
      'A new `subject` on the same durable is applied by each instance at its reload; until then an instance on the old one hands back the messages of the new one.',
    body: ReplaceSourceBody,
    example: exampleSource,
    success: { status: 200, schema: SourceView, description: 'The new version.' },
    errors: [404, 409],
  })
  replace(@Param('key') key: string, @Body() body: unknown) {
    return this.service.replace(key, body);
  }

  @Delete(':key')
  @ApiRoute({
    operationId: 'deleteSource',
    role: 'operator',
    summary:
      'Remove a source: every API instance stops its consumer. Messages still in the queue or stream stay in the broker (and its dead letters in `.dlq`); ' +
      'events already taken in are kept. To stop a source for a while and keep its definition, PUT it with `enabled: false` instead.',
    success: { status: 200, schema: SourceView, description: 'What was removed, as it was stored.' },
    errors: [404],
  })
  remove(@Param('key') key: string) {
    return this.service.remove(key);
  }
}
