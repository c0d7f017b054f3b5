export * from './managed-process';
export * from './ports';
export * from './postgres';
export * from './temporal';
export * from './temporal-cluster';
export * from './tools';
