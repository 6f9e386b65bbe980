/**
 * What the browser tests against the running local stack need from the helper that starts it:
 *   WEB_URL             the served app, e.g. http://127.0.0.1:5173 (required)
 *   E2E_TEMP_PASSWORD   the temporary password the seed gives tenantN-user (required)
 *   E2E_NEW_PASSWORD    the password the tests set at first sign-in (default below)
 * Each run needs freshly seeded users (the first sign-in changes their password).
 */
export const stackEnv = () => {
  const webUrl = process.env.WEB_URL?.replace(/\/+$/, '');
  const tempPassword = process.env.E2E_TEMP_PASSWORD;
  if (!webUrl)
    throw new Error('WEB_URL is not set: start the local stack (dev command) and pass the URL it prints');
  if (!tempPassword)
    throw new Error("E2E_TEMP_PASSWORD is not set: pass the seeded users' temporary password");
  return { webUrl, tempPassword, newPassword: process.env.E2E_NEW_PASSWORD ?? 'E2e-N3w-Passw0rd!' };
};
