import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { Environment, loadEnvironment } from '@app/config';

/**
 * The validated environment, read once at start-up; a bad value stops the process. @nestjs/config
 * reads it (no .env files: the environment is the only source) and validates it with the rules of
 * libs/config; `Environment` is what it validated, and ConfigService serves the same values.
 */
@Global()
@Module({})
export class ConfigModule {
  /**
   * Reads and validates the environment now. Called once per app, when it is built, not when this
   * file is imported: tests build several apps in one process, each over an environment of its own.
   */
  static forRoot(): DynamicModule {
    let environment: Environment | undefined;
    const nestConfig = NestConfigModule.forRoot({
      ignoreEnvFile: true,
      isGlobal: true,
      validate: (config) => (environment = loadEnvironment(config)),
    });
    // A ConfigurationError reaches the caller through Nest's start-up, which awaits this promise
    // only later: marked handled here so Node does not first report it as an unhandled rejection.
    nestConfig.catch(() => undefined);
    return {
      module: ConfigModule,
      imports: [nestConfig],
      providers: [{ provide: Environment, useFactory: () => environment }],
      exports: [Environment],
    };
  }
}
