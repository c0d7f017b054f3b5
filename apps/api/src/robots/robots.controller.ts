import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Needs } from '../auth/auth';
import { Idempotent } from '../common/idempotency';
import { ApiProblemResponses, ApiUuidParam, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { UuidParam } from '../common/validators';
import { CreateRobotDto, ListRobotsQuery, RobotPageView, RobotView, UpdateRobotDto } from './robot.dto';
import { RobotsService } from './robots.service';

@ApiTags('robots')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('robots')
export class RobotsController {
  constructor(private readonly robots: RobotsService) {}

  @Get()
  @Needs('people.manage')
  @ApiOperation({ summary: 'DingTalk and WeCom group robots alerts are routed to, by region' })
  @ApiOkResponse({ type: RobotPageView })
  list(@Query() query: ListRobotsQuery): Promise<RobotPageView> {
    return this.robots.list(query);
  }

  @Get(':id')
  @Needs('people.manage')
  @ApiUuidParam('id', 'the robot')
  @ApiOperation({ summary: 'One group robot (never its token or secret)' })
  @ApiOkResponse({ type: RobotView })
  @ApiProblemResponses(404)
  get(@Param('id', UuidParam) id: string): Promise<RobotView> {
    return this.robots.get(id);
  }

  @Post()
  @Needs('people.manage')
  @HttpCode(HttpStatus.CREATED)
  @Idempotent()
  @ApiOperation({ summary: 'Add a group robot: its kind, region, token or key, and DingTalk secret' })
  @ApiCreatedResponse({ type: RobotView })
  create(@Body() dto: CreateRobotDto, @CurrentActor() actor: Actor): Promise<RobotView> {
    return this.robots.create(dto, actor);
  }

  @Patch(':id')
  @Needs('people.manage')
  @ApiUuidParam('id', 'the robot')
  @ApiOperation({ summary: 'Change a group robot; absent fields stay, a secret of null turns signing off' })
  @ApiOkResponse({ type: RobotView })
  @ApiProblemResponses(404)
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateRobotDto,
    @CurrentActor() actor: Actor,
  ): Promise<RobotView> {
    return this.robots.update(id, dto, actor);
  }

  @Post(':id/disable')
  @Needs('people.manage')
  @HttpCode(HttpStatus.OK)
  @ApiUuidParam('id', 'the robot')
  @ApiOperation({ summary: 'Stop routing alerts to a group robot (it is kept; enable it again with PATCH)' })
  @ApiOkResponse({ type: RobotView })
  @ApiProblemResponses(404)
  disable(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<RobotView> {
    return this.robots.disable(id, actor);
  }
}
