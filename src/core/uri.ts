// decodeURIComponent that keeps a malformed escape ("%zz", a lone "%") as written instead of
// throwing: URLs from configs and servers are not always well formed.
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
