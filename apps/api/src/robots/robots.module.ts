import { Module } from '@nestjs/common';
import { RobotQueries } from './robot.queries';
import { RobotsController } from './robots.controller';
import { RobotsService } from './robots.service';

@Module({ controllers: [RobotsController], providers: [RobotsService, RobotQueries] })
export class RobotsModule {}
