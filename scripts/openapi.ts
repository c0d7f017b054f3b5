/**
 * Writes the API's OpenAPI document without any server: the app is built in Nest's preview mode
 * (its modules and controllers read, no provider started, so no PostgreSQL or Temporal), with the
 * same global prefix and document as createApp gives /openapi.json.
 *   node dist/scripts/openapi.js <out.json>
 * `npm run build` writes dist/openapi.json with it, from which apps/web/src/api/schema.d.ts is generated.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { openApiDocument, setGlobalPrefix } from '../apps/api/src/app.factory';
import { AppModule } from '../apps/api/src/app.module';

async function main(out: string): Promise<void> {
  // The document must not depend on the machine that builds it: the development configuration.
  process.env.NODE_ENV = 'development';
  const app = await NestFactory.create(AppModule.withConfiguration(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  setGlobalPrefix(app);
  const document = openApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node dist/scripts/openapi.js <out.json>\n');
  process.exit(2);
}
main(out).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
