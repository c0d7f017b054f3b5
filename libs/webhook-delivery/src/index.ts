export * from './outbox-delivery';
export * from './channel-delivery';
