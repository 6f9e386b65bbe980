export * from './admin';
export * from './events';
export * from './http';
export * from './orders';
export * from './websocket';
