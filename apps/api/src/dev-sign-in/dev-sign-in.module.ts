import { Module } from '@nestjs/common';
import { DevSignInController } from './dev-sign-in.controller';

/** POST /api/dev/tokens: the console's development sign-in (refused in production). */
@Module({ controllers: [DevSignInController] })
export class DevSignInModule {}
