/**
 * Starts `oidc_issuer.ts` as a Deno subprocess and waits for its URL.
 *
 * @module
 */

/** A running local issuer. */
export interface RunningIssuer {
  /** Its issuer URL, e.g. `http://127.0.0.1:40123`. */
  readonly issuer: string;
  /** Stops it and waits for it to exit. */
  close(): Promise<void>;
}

/** The issuer's client and redirect URIs. */
export interface StartOidcIssuerOptions {
  /** The client id. */
  readonly clientId: string;
  /** The client secret. */
  readonly clientSecret: string;
  /** The redirect URIs the client may use. */
  readonly redirectUris: readonly string[];
}

/**
 * Starts the issuer on a free port of 127.0.0.1.
 *
 * @param options The client it knows.
 * @returns The running issuer.
 */
export async function startOidcIssuer(options: StartOidcIssuerOptions): Promise<RunningIssuer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      "testdata/oidc_issuer.ts",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    env: {
      OIDC_CLIENT_ID: options.clientId,
      OIDC_CLIENT_SECRET: options.clientSecret,
      OIDC_REDIRECT_URIS: options.redirectUris.join(","),
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (stderr += chunk) }),
  );
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let issuer: string | undefined;
  while (issuer === undefined) {
    const { value, done } = await reader.read();
    if (done) {
      await stderrDone;
      await child.status;
      throw new Error(`The local OIDC issuer exited before it started:\n${stdout}\n${stderr}`);
    }
    stdout += value;
    issuer = /^ISSUER (\S+)$/m.exec(stdout)?.[1];
  }
  const stdoutDone = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    issuer,
    async close() {
      child.kill("SIGTERM");
      await child.status;
      await Promise.all([stdoutDone, stderrDone]);
    },
  };
}
