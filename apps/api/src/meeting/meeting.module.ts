import { Module } from '@nestjs/common';
import { MeetingController } from './meeting.controller';
import { MeetingQueries } from './meeting.queries';
import { MeetingService } from './meeting.service';

/** The 调度会 list leaders run a meeting from. */
@Module({ controllers: [MeetingController], providers: [MeetingQueries, MeetingService] })
export class MeetingModule {}
