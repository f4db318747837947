import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { PutUserBody, UserId } from './users.schemas';
import { UsersService } from './users.service';

@Controller('v1/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  /** Business systems keep profiles current, as they send events: the ingest lane. */
  @Put(':id')
  @RequireRole('ingest')
  put(@Param('id') id: string, @Body() body: unknown) {
    const userId = parseInput(UserId, id, 'id');
    return this.service.merge(userId, parseInput(PutUserBody, body).attributes);
  }

  @Get(':id')
  @RequireRole('support')
  get(@Param('id') id: string) {
    return this.service.get(id);
  }
}
