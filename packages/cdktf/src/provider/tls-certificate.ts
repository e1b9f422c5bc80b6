import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A certificate and its key, as go-plugin's automatic mutual TLS needs them. */
export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  /** The DER bytes in unpadded standard base64: the handshake line's last field. */
  handshakeField: string;
}

/**
 * A fresh self-signed certificate for `localhost`, like go-plugin's own `generateCert` (mtls.go):
 * a CA certificate (the client trusts exactly this certificate), usable for server and client
 * auth, SAN `localhost` (the name Terraform's client verifies). RSA 2048 from Node's native key
 * generation; node-forge only assembles and signs the certificate.
 */
export function createServerCertificate(now = Date.now()): ServerCertificate {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(key.n, key.e);
  // A positive serial: a leading 0x01 keeps the high bit clear.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now - 30_000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 3600_000);
  const name = [
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'lacework-auth' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      critical: true,
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: true,
    },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: privateKey,
    handshakeField: der.toString('base64').replace(/=+$/, ''),
  };
}
