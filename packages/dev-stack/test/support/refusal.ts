import { ChatApiError } from '../../src/client';

/** What a call to the local system answered: `served`, or a refusal's `<status> <code>`. */
export const refusalOf = async (call: () => Promise<unknown>) => {
  try {
    await call();
    return 'served';
  } catch (error) {
    if (error instanceof ChatApiError) return `${error.status} ${error.code}`;
    throw error;
  }
};
