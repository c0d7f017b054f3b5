import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@app/domain';
import { CurrentActor, Roles } from '../auth/auth';
import { RegisterProjectDto } from './dto/register-project.dto';
import { ProjectView } from './dto/project.view';
import { ProjectsService } from './projects.service';

/** Weak validators are enough: a version is the whole identity of a project's state. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Roles('officer', 'chief_officer')
  @ApiOperation({ summary: '线索登记: register a lead, which starts the project workflow' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'the same key again returns the same project',
  })
  @ApiCreatedResponse({ type: ProjectView })
  async register(
    @Body() dto: RegisterProjectDto,
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProjectView> {
    const record = await this.projects.register(dto, actor, idempotencyKey);
    res.setHeader('ETag', etagFor(record.version));
    res.setHeader('Location', `/api/projects/${record.projectId}`);
    return ProjectView.fromRecord(record);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A project as it stands now' })
  @ApiOkResponse({ type: ProjectView })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProjectView> {
    const record = await this.projects.get(id);
    res.setHeader('ETag', etagFor(record.version));
    return ProjectView.fromRecord(record);
  }
}
