import { Injectable } from '@nestjs/common';
import { AGGREGATE_FUNCTIONS, BUILT_IN_FACTS, CONDITION_FUNCTIONS } from '../../domain/conditions';
import { VocabularyRepository } from '../../store/repositories/vocabulary.repository';
import { parseInput } from '../common/zod-input';
import { VocabularyQuery, type VocabularyResponse } from './vocabulary.schemas';

const DEFAULT_SAMPLE = 1000;

/**
 * The names an operator may write in a condition, for the editor's
 * completion: what the recent data holds, and the compiler's own lists of
 * functions and built-in facts (never a copy that could drift).
 */
@Injectable()
export class VocabularyService {
  constructor(private readonly repo: VocabularyRepository) {}

  async vocabulary(query: unknown): Promise<VocabularyResponse> {
    const sample = parseInput(VocabularyQuery, query ?? {}).sample ?? DEFAULT_SAMPLE;
    const [eventTypes, profileAttributes] = await Promise.all([this.repo.recentEventKeys(sample), this.repo.profileAttributeKeys(sample)]);
    return {
      eventTypes,
      profileAttributes: profileAttributes.keys,
      profileAttributesTruncated: profileAttributes.truncated,
      aggregateFunctions: [...AGGREGATE_FUNCTIONS],
      functions: [...CONDITION_FUNCTIONS],
      facts: [...BUILT_IN_FACTS],
      sample,
    };
  }
}
