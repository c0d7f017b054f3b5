import { RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module';
import { answerClientErrorsAsProblems, jsonDepthLimit } from './common/http-hardening';
import { ProblemDetailsFilter, validationProblem } from './common/problem-details';
import { ResponseHeadersInterceptor } from './common/response-headers.interceptor';
import { HttpMetrics } from './observability/http-metrics';
import { JsonLogger } from './observability/json-logger';
import { requestContext } from './observability/request-context';

const CHECKPOINT_VERIFY_PATH = '/api/audit/checkpoints/verify';
/** Room for a digest of about a million chain heads. */
export const CHECKPOINT_DIGEST_LIMIT = '160mb';

/** Builds the API exactly as main.ts runs it; tests use the same function. */
export async function createApp(options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.withConfiguration(), {
    logger: options.logger ?? new JsonLogger(),
    bodyParser: true,
    // A provider that fails at start (a pending migration, an unreachable database) is thrown to the
    // caller, which says why and exits, instead of process.abort() dumping core.
    abortOnError: false,
  });
  // Node's own plain-text answers to unparseable requests become problem+json, here so that every
  // server made from this app (main.ts's and the tests') has it.
  answerClientErrorsAsProblems(app.getHttpServer());
  // The only ETags are the project's and the policy's versions: Express's automatic weak ETags
  // would be offered back as If-Match and refused.
  app.set('etag', false);
  // First of all, so every later middleware, guard, handler and filter runs with the request's id.
  app.use(requestContext, app.get(HttpMetrics).middleware);
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: validationProblem,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalInterceptors(new ResponseHeadersInterceptor());
  // Bodies are JSON only; anything else is refused before it reaches a route.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (
      ['POST', 'PUT', 'PATCH'].includes(req.method) &&
      req.headers['content-length'] !== '0' &&
      !req.is('application/json')
    ) {
      return next(
        Object.assign(new Error('the body must be application/json'), {
          status: 415,
          type: 'unsupported-media-type',
        }),
      );
    }
    next();
  });
  // A kept checkpoint digest lists every chain head (about 140 bytes each): a province's 100 000
  // projects and more, far past the 100 kB every other body is held to. Parsed first, the body is
  // left alone by the parser below.
  app.use(CHECKPOINT_VERIFY_PATH, json({ limit: CHECKPOINT_DIGEST_LIMIT }));
  // Nest's own JSON parser (the same defaults), registered here so the depth limit can follow it.
  app.useBodyParser('json');
  app.use(jsonDepthLimit);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('招商引资项目全周期引擎 · Project lifecycle engine')
      .setDescription('Every investment project from 线索 to 投产, as a durable workflow.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', useGlobalPrefix: false });
  app.enableShutdownHooks();
  return app;
}
