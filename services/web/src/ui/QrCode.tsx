import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The otpauth:// URI as a QR code image (a data: URL; no network, allowed by the CSP's img-src). */
export const QrCode = ({ value }: { value: string }) => {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(value, { margin: 1, width: 200, errorCorrectionLevel: 'M' })
      .then((url) => current && setSrc(url))
      .catch(() => current && setSrc(undefined));
    return () => {
      current = false;
    };
  }, [value]);
  return (
    <figure className="qr">
      {src ? (
        <img src={src} width={200} height={200} alt="QR code to scan with your authenticator app" />
      ) : (
        <p>Preparing the QR code…</p>
      )}
      <figcaption>Scan this with your authenticator app.</figcaption>
    </figure>
  );
};
