import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { Environment } from '@app/config';

/** The Temporal client the API sends commands through. */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [Environment],
      useFactory: async (env: Environment) => {
        const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
        return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
      },
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
