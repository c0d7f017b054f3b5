import { status as grpcStatus, Metadata } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { classifyError } from './problem-details';

/** A PostgreSQL error as node-postgres builds it from the server's message. */
function pgError(code: string, fields: Partial<DatabaseError> = {}): DatabaseError {
  const e = new DatabaseError(`error ${code}`, 100, 'error');
  return Object.assign(e, { severity: 'ERROR', code, ...fields });
}

/** A gRPC status error as @grpc/grpc-js hands it to Temporal's client. */
function grpcError(code: number): Error {
  return Object.assign(new Error(`${code} status`), {
    code,
    details: 'no connection',
    metadata: new Metadata(),
  });
}

function errno(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), {
    code,
    errno: -111,
    syscall: 'connect',
  });
}

describe('classifyError: a part that is away', () => {
  it.each([
    ['connection refused', errno('ECONNREFUSED')],
    ['connection reset', errno('ECONNRESET')],
    ['a timed-out connect', errno('ETIMEDOUT')],
    ['an unknown host', errno('ENOTFOUND')],
    ["Node's multi-address connect failure", Object.assign(new AggregateError([errno('ECONNREFUSED')]), {})],
  ])('%s is unavailable', (_name, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'unavailable' });
  });

  it.each([
    ['08006 connection failure', '08006'],
    ['08001 cannot establish a connection', '08001'],
    ['57P01 admin shutdown', '57P01'],
    ['57P02 crash shutdown', '57P02'],
    ['57P03 cannot connect now', '57P03'],
    ['57014 statement timeout', '57014'],
    ['25P03 idle-in-transaction session timeout', '25P03'],
    ['53300 too many connections', '53300'],
    ['40001 serialization failure', '40001'],
  ])('PostgreSQL %s is unavailable, in pg and in TypeORM', (_name, code) => {
    expect(classifyError(pgError(code))).toEqual({ kind: 'unavailable', part: 'PostgreSQL' });
    const wrapped = new QueryFailedError('SELECT 1', [], pgError(code));
    expect(classifyError(wrapped)).toEqual({ kind: 'unavailable', part: 'PostgreSQL' });
  });

  it.each([
    'timeout exceeded when trying to connect',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Cannot use a pool after calling end on the pool',
    'Client has encountered a connection error and is not queryable',
    'Query read timeout',
  ])("node-postgres' '%s' is PostgreSQL unavailable", (message) => {
    expect(classifyError(new Error(message))).toEqual({ kind: 'unavailable', part: 'PostgreSQL' });
  });

  it('a TypeORM driver without a connection is PostgreSQL unavailable', () => {
    const e = Object.assign(new Error('Connection "default" was not found'), {
      name: 'ConnectionIsNotSetError',
    });
    expect(classifyError(e)).toEqual({ kind: 'unavailable', part: 'PostgreSQL' });
  });

  it.each([
    ['UNAVAILABLE', grpcStatus.UNAVAILABLE],
    ['DEADLINE_EXCEEDED', grpcStatus.DEADLINE_EXCEEDED],
    ['RESOURCE_EXHAUSTED', grpcStatus.RESOURCE_EXHAUSTED],
  ])('Temporal %s is unavailable, bare or inside a ServiceError', (_name, code) => {
    expect(classifyError(grpcError(code))).toEqual({ kind: 'unavailable', part: 'Temporal' });
    const wrapped = new ServiceError('Failed to start Workflow', { cause: grpcError(code) });
    expect(classifyError(wrapped)).toEqual({ kind: 'unavailable', part: 'Temporal' });
  });

  it('a Temporal ServiceError about its connection, with no gRPC cause, is unavailable', () => {
    expect(classifyError(new ServiceError('Failed to connect before the deadline'))).toEqual({
      kind: 'unavailable',
      part: 'Temporal',
    });
  });
});

describe("classifyError: the data is the client's fault", () => {
  it.each([
    ['22P02 invalid text representation', '22P02', 'invalid_text_representation'],
    ['22003 numeric value out of range', '22003', 'numeric_value_out_of_range'],
    ['22021 character not in repertoire', '22021', 'character_not_in_repertoire'],
    ['22P05 untranslatable character', '22P05', 'untranslatable_character'],
    ['23505 unique violation', '23505', 'unique_violation'],
    ['23514 check violation', '23514', 'check_violation'],
    ['22019 invalid escape character', '22019', 'sqlstate_22019'],
  ])('%s is refused data, named by field and rule', (_name, code, rule) => {
    const kind = classifyError(new QueryFailedError('INSERT', [], pgError(code, { column: 'name' })));
    expect(kind).toMatchObject({ kind: 'refused-data', sqlState: code, field: 'name', rule });
  });

  it('names the constraint when PostgreSQL names no column', () => {
    expect(classifyError(pgError('23505', { constraint: 'events_stream_version_key' }))).toMatchObject({
      field: 'events_stream_version_key',
    });
  });
});

describe('classifyError: real faults stay faults', () => {
  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['PostgreSQL syntax error 42601', pgError('42601')],
    ['PostgreSQL undefined table 42P01', pgError('42P01')],
    ['gRPC INVALID_ARGUMENT', grpcError(grpcStatus.INVALID_ARGUMENT)],
    ['gRPC NOT_FOUND', grpcError(grpcStatus.NOT_FOUND)],
    ['a string', 'boom'],
    ['null', null],
    ['a failed Update', new WorkflowUpdateFailedError('update failed', new Error('bug'))],
  ])('%s is not classified', (_name, error) => {
    expect(classifyError(error)).toBeNull();
  });

  it('an error that is its own cause does not loop', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    expect(classifyError(e)).toBeNull();
  });
});
