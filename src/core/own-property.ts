// Keys from outside (YAML, JSON documents, AWS items, HTTP headers) copied into plain objects.
// JSON.parse and yaml make "__proto__" an own key; plain assignment would set the copy's prototype
// instead and drop the key (a drift in it would go unseen, an option would vanish silently).

/** out[key] = value, as an own enumerable property even for "__proto__". */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
