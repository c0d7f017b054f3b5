export * from './messages';
export * from './search-attributes';
export * from './review';
