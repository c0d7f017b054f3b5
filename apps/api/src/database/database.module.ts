import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { openDataSource } from '@app/persistence';

/**
 * One DataSource for the API (never `synchronize`). Migrations are a step of their own
 * (`npm run migrate`): with any pending, the API refuses to start, naming that command.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [Environment],
      useFactory: async (env: Environment) => {
        // Served as the app role when DATABASE_APP_URL names one.
        return openDataSource({
          ownerUrl: env.DATABASE_URL,
          appUrl: env.DATABASE_APP_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          applicationName: 'lifecycle-api',
          timeouts: {
            connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
            statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
            idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
          },
        });
      },
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
