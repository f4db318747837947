import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { API_FEATURE_MODULES } from './api-modules';
import { HttpErrorFilter } from './common/http-error.filter';
import { QueryParamsGuard } from './common/query-params.guard';
import { RolesGuard } from './common/roles.guard';
import { TextParamsPipe } from './common/text-params.pipe';
import { CoreModule, type CoreDeps } from './core/core.module';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(deps), ...API_FEATURE_MODULES],
      providers: [
        // In this order: who may call the route first, then what the call says.
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: QueryParamsGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: TextParamsPipe },
      ],
    };
  }
}
