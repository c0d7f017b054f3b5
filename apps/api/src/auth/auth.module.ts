import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { Environment } from '@app/config';
import { AuthenticationGuard, AuthorisationGuard } from './auth';

/** Every route needs a bearer token unless marked @Public(); then the role the route needs. */
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
  providers: [
    // In this order: who the caller is, then what they may do.
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: AuthorisationGuard },
  ],
  exports: [JwtModule],
})
export class AuthModule {}
