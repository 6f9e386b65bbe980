/** Two user ids (Cognito subs) of the tests' tenants. */
export const userA = '6f1c2e4a-0b7d-4c1e-9a53-2d8e7f6a5b4c';
export const userB = '0d9e8f7a-6b5c-4d3e-8f21-0a9b8c7d6e5f';
