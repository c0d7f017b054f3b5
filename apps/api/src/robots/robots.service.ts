import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '@app/domain';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import {
  RobotView,
  type CreateRobotDto,
  type ListRobotsQuery,
  type RobotPageView,
  type UpdateRobotDto,
} from './robot.dto';
import { RobotQueries } from './robot.queries';

function notFound(robotId: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such robot',
    status: HttpStatus.NOT_FOUND,
    detail: `there is no group robot ${robotId}`,
  });
}

function noSecretForWeCom(): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: 'a WeCom robot is known by its key alone; only DingTalk robots sign',
    errors: [{ field: 'secret', rule: 'dingtalkOnly', message: 'secret is only for DingTalk robots' }],
  });
}

/** Group robots: kept by admins; their tokens and secrets go in and never come out. */
@Injectable()
export class RobotsService {
  constructor(private readonly queries: RobotQueries) {}

  async list(query: ListRobotsQuery): Promise<RobotPageView> {
    const rows = await this.queries.list({
      kind: query.kind,
      region: query.region,
      enabled: query.enabled,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(RobotView.of);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].robotId : null };
  }

  async get(robotId: string): Promise<RobotView> {
    const row = await this.queries.find(robotId);
    if (!row) throw notFound(robotId);
    return RobotView.of(row);
  }

  async create(dto: CreateRobotDto, actor: Actor): Promise<RobotView> {
    if (dto.kind === 'wecom' && dto.secret) throw noSecretForWeCom();
    const row = await this.queries.insert(
      randomUUID(),
      {
        kind: dto.kind,
        name: dto.name.trim(),
        region: dto.region,
        department: dto.department?.trim() || null,
        token: dto.token,
        secret: dto.secret ?? null,
        enabled: dto.enabled ?? true,
      },
      actor.id,
    );
    return RobotView.of(row);
  }

  async update(robotId: string, dto: UpdateRobotDto, actor: Actor): Promise<RobotView> {
    const current = await this.queries.find(robotId);
    if (!current) throw notFound(robotId);
    if (current.kind === 'wecom' && dto.secret) throw noSecretForWeCom();
    const row = await this.queries.update(
      robotId,
      {
        name: dto.name?.trim(),
        region: dto.region,
        department: dto.department === null ? null : dto.department?.trim(),
        token: dto.token,
        secret: dto.secret,
        enabled: dto.enabled,
      },
      actor.id,
    );
    if (!row) throw notFound(robotId);
    return RobotView.of(row);
  }

  async disable(robotId: string, actor: Actor): Promise<RobotView> {
    const row = await this.queries.update(robotId, { enabled: false }, actor.id);
    if (!row) throw notFound(robotId);
    return RobotView.of(row);
  }
}
