import { groupSecret } from '../auth/totp';

/** The TOTP secret as text, grouped by four, for apps that cannot scan (they accept the spaces). */
export const SecretKey = ({ secret }: { secret: string }) => (
  <p className="secret">
    Or enter this key by hand: <code data-secret={secret}>{groupSecret(secret)}</code>
  </p>
);
