import { generateKeyPairSync } from "node:crypto";

/** A fresh RSA private key in PKCS#1 PEM, as OpenD's `rsa_private_key` file holds (OpenD uses 1024 bits). */
export function rsaPem(bits = 1024): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return privateKey.export({ type: "pkcs1", format: "pem" }) as string;
}
