export * from './data-source';
export * from './event-store/canonical-json';
export * from './event-store/event-store';
export * from './event-store/hash';
export * from './read-model/project.record';
export * from './read-model/project-projection';
export * from './outbox';
export * from './policies';
