import { Controller, Get, Query } from '@nestjs/common';
import { ApiRoute } from '../common/api-route';
import { VocabularyQuery, VocabularyResponse } from './vocabulary.schemas';
import { VocabularyService } from './vocabulary.service';

@Controller('v1/vocabulary')
export class VocabularyController {
  constructor(private readonly service: VocabularyService) {}

  @Get()
  @ApiRoute({
    operationId: 'getVocabulary',
    role: 'operator',
    summary:
      'The names conditions can use, for completion in an editor: event types and their property keys among the latest events received, ' +
      "profile attribute keys, and the compiler's aggregate functions, functions and built-in facts. Read from a bounded sample (`?sample=`, default 1000).",
    query: VocabularyQuery,
    success: { status: 200, schema: VocabularyResponse, description: 'The vocabulary.' },
  })
  get(@Query() query: unknown) {
    return this.service.vocabulary(query);
  }
}
