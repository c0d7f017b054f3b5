export * from './render';
export * from './result';
export * from './dingtalk';
export * from './wecom';
export * from './email';
export * from './digest';
