import { Global, Module, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '@app/config';
import { createDataSource, runMigrations } from '@app/persistence';

/** One DataSource for the API, migrated at start (never `synchronize`). */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [Environment],
      useFactory: async (env: Environment) => {
        const dataSource = createDataSource(env.DATABASE_URL, {
          poolSize: env.DATABASE_POOL_SIZE,
          applicationName: 'lifecycle-api',
        });
        await dataSource.initialize();
        await runMigrations(dataSource);
        return dataSource;
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
