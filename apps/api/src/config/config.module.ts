import { Global, Module } from '@nestjs/common';
import { Environment, loadEnvironment } from '@app/config';

/** The validated environment, read once at start-up; a bad value stops the process. */
@Global()
@Module({
  providers: [{ provide: Environment, useFactory: () => loadEnvironment() }],
  exports: [Environment],
})
export class ConfigModule {}
