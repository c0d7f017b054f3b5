export * from './outbox-delivery';
