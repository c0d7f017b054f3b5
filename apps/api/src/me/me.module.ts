import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { MeController } from './me.controller';

@Module({ imports: [PeopleModule], controllers: [MeController] })
export class MeModule {}
