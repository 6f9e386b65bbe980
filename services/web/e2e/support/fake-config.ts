/** The /config.json of the browser tests against fake backends (Playwright routes answer these origins). */
export const FAKE_CONFIG = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalDev1',
  userPoolClientId: 'fakewebclient',
  cognitoEndpoint: 'http://127.0.0.1:59229',
  authFlow: 'USER_PASSWORD_AUTH',
  apiUrl: 'http://127.0.0.1:59000',
  webSocketUrl: 'ws://127.0.0.1:59001',
  adminApiUrl: 'http://127.0.0.1:59010',
};

/** The password the fake-backend tests choose at first sign-in. */
export const FAKE_NEW_PASSWORD = 'N3w-Passw0rd!';
