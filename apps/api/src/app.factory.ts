import { RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { json, type NextFunction, type Request, type Response } from 'express';
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

/** Every route under /api except health and metrics; scripts/openapi.ts sets the same for the document. */
export function setGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}

/** The OpenAPI document of the app's routes, as /openapi.json serves it and the console's client is generated from. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('招商引资项目全周期引擎 · Project lifecycle engine')
      .setDescription('Every investment project from 线索 to 投产, as a durable workflow.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
}

/** Where the console's build (apps/web, `npm run build`) is, from the directory the API runs in. */
// CONSOLE_DIR points at another build of the console (a development build beside the default one).
export const CONSOLE_ROOT = resolve(process.env.CONSOLE_DIR ?? join('dist', 'web'));
/** Paths the API answers itself: never the console's files nor its index.html. */
const API_PATHS = /^\/(api|docs|health|metrics|openapi\.json)(\/|$|\?)/;

/**
 * The officers' console at `/`: its built files, and index.html for any other GET a browser
 * navigates to (Accept: text/html), so that a link into the console opens its page. Other requests
 * (an API client's unknown path, a POST) reach the routes as before and get their problem+json 404.
 * Nothing is served when the console is not built.
 */
function serveConsole(app: NestExpressApplication): void {
  const index = resolve(CONSOLE_ROOT, 'index.html');
  if (!existsSync(index)) return;
  // No ETags here either (see createApp); Vite's hashed asset names let browsers keep them for good.
  const files = express.static(CONSOLE_ROOT, {
    index: false,
    etag: false,
    setHeaders: (res, path) => {
      if (path.startsWith(resolve(CONSOLE_ROOT, 'assets')))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    files(req, res, () => {
      if (!(req.headers.accept ?? '').includes('text/html')) return next();
      // The shell is never cached: it names the hashed assets of the current build.
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, { etag: false });
    });
  });
}

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
  setGlobalPrefix(app);
  serveConsole(app);
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
      !req.is('application/json') &&
      // A ledger file and an evidence file are uploaded as a form (read in the route).
      !(['/api/imports', '/api/files'].includes(req.path) && req.is('multipart/form-data'))
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

  SwaggerModule.setup('docs', app, openApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    useGlobalPrefix: false,
  });
  app.enableShutdownHooks();
  return app;
}
