export * from './environment';
export * from './database-timeouts';
