/**
 * A headless browser for the tests: `fetch` with `redirect: "manual"`, a
 * cookie jar (kept per host name, as browsers do, ignoring ports and
 * paths), and the posting of `oidc-provider`'s development login and
 * consent forms.
 *
 * @module
 */

/** The cookies a browser holds, per host name. */
export class CookieJar {
  readonly #hosts = new Map<string, Map<string, string>>();

  /**
   * Keeps the cookies a response sets (a `Max-Age=0` one is removed).
   *
   * @param url Where the response came from.
   * @param response The response.
   */
  store(url: string | URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) this.set(url, line);
  }

  /**
   * Keeps one `Set-Cookie` value.
   *
   * @param url Where it came from.
   * @param line The header value.
   */
  set(url: string | URL, line: string): void {
    const host = new URL(url).hostname;
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const cookies = this.#hosts.get(host) ?? new Map<string, string>();
    if (/;\s*max-age=0\b/i.test(line) || value === "") cookies.delete(name);
    else cookies.set(name, value);
    this.#hosts.set(host, cookies);
  }

  /**
   * A cookie's value.
   *
   * @param url The site.
   * @param name The cookie's full name.
   * @returns Its value, or `undefined`.
   */
  get(url: string | URL, name: string): string | undefined {
    return this.#hosts.get(new URL(url).hostname)?.get(name);
  }

  /**
   * The `Cookie` header a request to a URL carries.
   *
   * @param url The URL.
   * @returns The header value (empty when there are none).
   */
  header(url: string | URL): string {
    const cookies = this.#hosts.get(new URL(url).hostname) ?? new Map<string, string>();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /**
   * A request to a URL, with the jar's cookies.
   *
   * @param url The URL.
   * @returns The request.
   */
  request(url: string | URL): Request {
    const cookie = this.header(url);
    return new Request(url, { headers: cookie === "" ? {} : { cookie } });
  }
}

/**
 * Follows the provider's pages from the authorization URL: signs in as
 * `login` on the development login form, accepts the consent form, and
 * stops at the redirect back to the application.
 *
 * @param jar The browser's cookies.
 * @param authorizationUrl Where the application sent the browser.
 * @param login The account to sign in as.
 * @returns The URL the provider redirected back to (the callback, with `code`, `state` and `iss`).
 */
export async function signInAtProvider(
  jar: CookieJar,
  authorizationUrl: string,
  login: string,
): Promise<URL> {
  const back = new URL(authorizationUrl).searchParams.get("redirect_uri")!;
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | null = null;
  for (let step = 0; step < 20; step++) {
    const response: Response = await fetch(url, {
      method: form === null ? "GET" : "POST",
      redirect: "manual",
      headers: {
        cookie: jar.header(url),
        ...(form === null ? {} : { "content-type": "application/x-www-form-urlencoded" }),
      },
      ...(form === null ? {} : { body: form }),
    });
    jar.store(url, response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.href.startsWith(back)) return next;
      url = next;
      form = null;
      continue;
    }
    const html: string = await response.text();
    if (response.status !== 200) {
      throw new Error(`The provider answered ${response.status}: ${html}`);
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt: string | undefined = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (action === undefined || prompt === undefined) throw new Error(`No form in: ${html}`);
    url = new URL(action.replaceAll("&amp;", "&"), url);
    form = new URLSearchParams({ prompt });
    if (prompt === "login") {
      form.set("login", login);
      form.set("password", "any password");
    }
  }
  throw new Error("The provider never redirected back to the application");
}
