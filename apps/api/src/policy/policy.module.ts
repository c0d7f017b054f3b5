import { Module } from '@nestjs/common';
import { PolicyController } from './policy.controller';
import { PolicyQueries } from './policy.queries';
import { PolicyService } from './policy.service';

@Module({ controllers: [PolicyController], providers: [PolicyService, PolicyQueries] })
export class PolicyModule {}
