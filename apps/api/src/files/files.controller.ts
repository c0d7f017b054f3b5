import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@app/domain';
import { CurrentActor } from '../auth/auth';
import { ApiProblemResponses, ApiUuidParam, AUTHENTICATED_PROBLEMS } from '../common/openapi';
import { PROBLEM_BASE } from '../common/problem-details';
import { withHeaders, type WithHeaders } from '../common/response-headers.interceptor';
import { UuidParam } from '../common/validators';
import { FileView, UploadFileForm } from './files.dto';
import { attachmentDisposition, FilesService } from './files.service';

@ApiTags('files')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileForm })
  @ApiOperation({
    summary:
      'Uploads an evidence file (streamed; its type told from its content), for a command to reference; removed after a day unless one does',
  })
  @ApiCreatedResponse({ type: FileView })
  @ApiProblemResponses(413, 415)
  async upload(@Req() req: Request, @CurrentActor() actor: Actor): Promise<WithHeaders<FileView>> {
    const file = await this.files.upload(req, actor);
    return withHeaders(file, { Location: `/api/files/${file.fileId}` });
  }

  @Get(':id')
  @ApiOperation({ summary: "A file's hash, name, type, size and capture data" })
  @ApiUuidParam('id', 'the file')
  @ApiOkResponse({ type: FileView })
  @ApiProblemResponses(404)
  metadata(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<FileView> {
    return this.files.metadata(id, actor, req);
  }

  @Get(':id/content')
  @ApiOperation({ summary: "The file's content, streamed, as an attachment under its name" })
  @ApiUuidParam('id', 'the file')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the content', schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(404)
  async content(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { file, body } = await this.files.content(id, actor, req);
    // Uploaded content is never rendered as anything but its sniffed type, nor kept by shared caches.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-cache');
    return new StreamableFile(body, {
      type: file.mediaType,
      length: file.size,
      disposition: attachmentDisposition(file.name),
    }).setErrorHandler((e, handlerResponse) => {
      const response = handlerResponse as unknown as Response;
      // Content lost behind the engine's back (verification names it): a cut connection once the
      // bytes have begun, so that no client takes a short file for the whole; before, a problem.
      if (response.headersSent) return void response.destroy();
      response.statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
      response.setHeader('Content-Type', 'application/problem+json');
      response.removeHeader('Content-Length');
      response.removeHeader('Content-Disposition');
      response.end(
        JSON.stringify({
          type: `${PROBLEM_BASE}file-content-unreadable`,
          title: 'The stored content cannot be read',
          status: 500,
          detail: `file ${id}: ${e.message}`,
          code: 'FILE_CONTENT_UNREADABLE',
        }),
      );
    });
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'A JPEG thumbnail of an image file (JPEG or PNG), at most 320 pixels a side' })
  @ApiUuidParam('id', 'the file')
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'the thumbnail', schema: { type: 'string', format: 'binary' } })
  @ApiProblemResponses(404, 422)
  async thumbnail(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<StreamableFile> {
    const body = await this.files.thumbnail(id, actor, req);
    return new StreamableFile(body, { type: 'image/jpeg', length: body.length });
  }
}
