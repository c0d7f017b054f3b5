import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { Environment } from '@app/config';
import { BearerAuthGuard } from './auth';

/** Every route needs a bearer token unless marked @Public(). */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        secret: env.JWT_SECRET,
        signOptions: { algorithm: 'HS256', expiresIn: '12h' },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
