export * from './answer-id';
export * from './claims';
export * from './errors';
export * from './identity';
export * from './limits';
export * from './naming';
export * from './session-policy';
export * from './roles';
