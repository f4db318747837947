import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import type { Config } from '../../config/config';
import { refuseOversized } from '../common/size-caps';
import { CONFIG } from '../core/tokens';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { PutUserBody, UserId } from './users.schemas';
import { UsersService } from './users.service';

@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly service: UsersService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Business systems keep profiles current, as they send events: the ingest lane. */
  @Put(':id')
  @RequireRole('ingest')
  put(@Param('id') id: string, @Body() body: unknown) {
    const userId = parseInput(UserId, id, 'id');
    const { attributes } = parseInput(PutUserBody, body);
    const capBytes = this.config.sizeCaps.profileAttributesBytes;
    refuseOversized([{ path: 'attributes', value: attributes, capBytes }]);
    return this.service.merge(userId, attributes, capBytes);
  }

  @Get(':id')
  @RequireRole('support')
  get(@Param('id') id: string) {
    return this.service.get(id);
  }
}
