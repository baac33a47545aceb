/**
 * A certificate authority and a server certificate for 127.0.0.1 and localhost, made with openssl for one test
 * (valid two days), as PEM files in `dir`.
 *
 * @module
 */

/** The PEM files of a test CA and of a server certificate it signed. */
export interface TestCertificates {
  ca: string;
  cert: string;
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** Makes the CA and the server certificate in `dir`. */
export async function testCertificates(dir: string): Promise<TestCertificates> {
  const days = ["-days", "2"];
  await openssl(
    dir,
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", ...days]
      .concat(["-subj", "/CN=futu-mcp test CA"]),
  );
  await openssl(
    dir,
    ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr"]
      .concat(["-subj", "/CN=localhost"]),
  );
  await Deno.writeTextFile(`${dir}/san.cnf`, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(
    dir,
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"]
      .concat(["-out", "server.pem", ...days, "-extfile", "san.cnf"]),
  );
  return { ca: `${dir}/ca.pem`, cert: `${dir}/server.pem`, key: `${dir}/server.key` };
}
