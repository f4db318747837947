import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { UserProfilesRepository } from '../../store/repositories/user-profiles.repository';
import { DATA_SOURCE } from '../core/tokens';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [
    { provide: UserProfilesRepository, useFactory: (ds: DataSource) => new UserProfilesRepository(ds), inject: [DATA_SOURCE] },
    UsersService,
  ],
  exports: [UserProfilesRepository],
})
export class UsersModule {}
