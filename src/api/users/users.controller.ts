import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import type { Config } from '../../config/config';
import { CONFIG } from '../core/tokens';
import { ApiRoute } from '../common/api-route';
import { inputPart, parseAll, parseInput } from '../common/zod-input';
import { PutUserBody, UserId, UserProfileResponse } from './users.schemas';
import { UsersService } from './users.service';

@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly service: UsersService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Business systems keep profiles current, as they send events: the ingest lane. */
  @Put(':id')
  @ApiRoute({
    operationId: 'putUserProfile',
    role: 'ingest',
    summary: 'Merge profile attributes (read by conditions as user.*); a null value removes one.',
    body: PutUserBody,
    example: { attributes: { level: 3, vip: true, birthday: '1990-11-21' } },
    success: { status: 200, schema: UserProfileResponse, description: 'The merged profile.' },
  })
  put(@Param('id') id: string, @Body() body: unknown) {
    // The id and the body at once: a 400 names every bad part.
    const [userId, { attributes }] = parseAll(inputPart(UserId, id, 'id'), inputPart(PutUserBody, body));
    return this.service.merge(userId, attributes, this.config.sizeCaps.profileAttributesBytes);
  }

  @Get(':id')
  @ApiRoute({
    operationId: 'getUser',
    role: 'support',
    summary: "The user's profile.",
    success: { status: 200, schema: UserProfileResponse, description: 'The profile.' },
    errors: [404],
  })
  get(@Param('id') id: string) {
    // As PUT and the user's other routes: an id no user can have is a 400 at `id`, not a 404.
    return this.service.get(parseInput(UserId, id, 'id'));
  }
}
