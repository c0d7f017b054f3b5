import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { DevPeopleController, DevSignInController } from './dev-sign-in.controller';

/**
 * The console's development sign-in: POST /api/dev/tokens and GET /api/dev/people (both refused
 * in production).
 */
@Module({ imports: [PeopleModule], controllers: [DevSignInController, DevPeopleController] })
export class DevSignInModule {}
