import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { UserEventsRepository } from '../../store/repositories/user-events.repository';
import { UserProfilesRepository } from '../../store/repositories/user-profiles.repository';
import { DATA_SOURCE } from '../core/tokens';
import { UserEventsController } from './user-events.controller';
import { UserEventsService } from './user-events.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController, UserEventsController],
  providers: [
    { provide: UserProfilesRepository, useFactory: (ds: DataSource) => new UserProfilesRepository(ds), inject: [DATA_SOURCE] },
    UsersService,
    { provide: UserEventsRepository, useFactory: (ds: DataSource) => new UserEventsRepository(ds), inject: [DATA_SOURCE] },
    UserEventsService,
  ],
  exports: [UserProfilesRepository],
})
export class UsersModule {}
