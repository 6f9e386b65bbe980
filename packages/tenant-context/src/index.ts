export * from './answer-id';
export * from './claims';
export * from './errors';
export * from './identity';
export * from './limits';
export * from './naming';
export * from './roles';
export * from './session-policy';
