import { useSyncExternalStore } from 'react';

/** Subscribes a component to a store with `subscribe`/`getState` (AuthSession, ChatSession). */
export const useStore = <T>(store: {
  subscribe: (listener: () => void) => () => void;
  getState: () => T;
}): T => useSyncExternalStore(store.subscribe, store.getState);
