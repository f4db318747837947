import { Body, Controller, Get, Inject, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config';
import { CONFIG } from '../core/tokens';
import { ApiKeyRing } from '../common/api-keys';
import { ApiRoute } from '../common/api-route';
import { keyRefusal } from '../common/key-refusal';
import { inputPart, parseAll, parseInput } from '../common/zod-input';
import { SchemaCheckedParam } from '../common/schema-checked-input';
import { PutUserBody, UserId, UserProfileResponse } from './users.schemas';
import { UsersService, withOnlyNamed } from './users.service';

@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly service: UsersService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ApiKeyRing) private readonly keys: ApiKeyRing,
  ) {}

  /** Business systems keep profiles current, as they send events: the ingest lane. */
  @Put(':id')
  @ApiRoute({
    operationId: 'putUserProfile',
    role: 'ingest',
    summary: 'Merge profile attributes (read by conditions as user.*); a null value removes one.',
    body: PutUserBody,
    example: { attributes: { level: 3, vip: true, birthday: '1990-11-21' } },
    success: {
      status: 200,
      schema: UserProfileResponse,
      description:
        'The merged profile. An ingest key, which sets profiles but may not read them, gets back only the attributes its request named, as now stored (one removed is absent); an admin key gets them all. A merge that sets nothing and removes nothing stored changes nothing and creates no profile: for a user without one, the answer has no attributes and is stamped with the time of the answer.',
    },
  })
  async put(@SchemaCheckedParam('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest) {
    // The id and the body at once: a 400 names every bad part.
    const [userId, { attributes }] = parseAll(inputPart(UserId, id, 'id'), inputPart(PutUserBody, body));
    const profile = await this.service.merge(userId, attributes, this.config.sizeCaps.profileAttributesBytes);
    return this.mayReadProfiles(request) ? profile : withOnlyNamed(profile, Object.keys(attributes));
  }

  @Get(':id')
  @ApiRoute({
    operationId: 'getUser',
    role: 'support',
    summary: "The user's profile.",
    success: { status: 200, schema: UserProfileResponse, description: 'The profile.' },
    errors: [404],
  })
  get(@SchemaCheckedParam('id') id: string) {
    // As PUT and the user's other routes: an id no user can have is a 400 at `id`, not a 404.
    return this.service.get(parseInput(UserId, id, 'id'));
  }

  /**
   * Whether the caller's key may read profiles (GET /v1/users/:id's role).
   * The ingest lane may not: a whole profile in PUT's answer let the key
   * business systems hold read any user's attributes with an empty merge.
   */
  private mayReadProfiles(request: FastifyRequest): boolean {
    // The guard has already matched this header to a role that may PUT; the same decision for GET's role.
    return keyRefusal('support', request.headers.authorization, this.keys) === null;
  }
}
