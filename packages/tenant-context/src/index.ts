export * from './answer-id';
export * from './errors';
export * from './identity';
export * from './limits';
export * from './roles';
