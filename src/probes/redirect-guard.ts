// Where an HTTP redirect may lead. Untrusted-config mode with allowed-hosts checks the URLs the
// config names when it loads; a server at an allowed host could still redirect a probe anywhere
// (an internal service, 169.254.169.254). The loader installs the same host rule here and every
// hop the HTTP probe follows is held to it. No guard: any host.
export type RedirectGuard = (to: URL) => string | null;

let guard: RedirectGuard | null = null;

export function setRedirectGuard(g: RedirectGuard | null): void {
  guard = g;
}

/** Why following a redirect to `to` is refused, or null. */
export function redirectRefusal(to: URL): string | null {
  return guard ? guard(to) : null;
}
