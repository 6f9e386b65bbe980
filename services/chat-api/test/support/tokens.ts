import { createTokenVerifier, type TokenVerifier } from '@tenant-assistant/tenant-context/tokens';
import { createTestIssuer, type TestIssuer } from '@tenant-assistant/testing';

/** A test issuer (real RS256 keys) and a verifier that trusts exactly it (JWKS preloaded, no fetch). */
export const testAuth = async (): Promise<{ issuer: TestIssuer; verifier: TokenVerifier }> => {
  const issuer = await createTestIssuer();
  const verifier = createTokenVerifier(issuer.preloaded);
  return { issuer, verifier };
};
