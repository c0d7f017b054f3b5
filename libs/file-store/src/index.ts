export * from './cleanup';
export * from './exif';
export * from './file-store';
export * from './postgres-file-store';
export * from './sniff';
export * from './references';
export * from './s3-file-store';
