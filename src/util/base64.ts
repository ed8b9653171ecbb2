// Standard base64 as contract §9.2 accepts it: A–Z a–z 0–9 + /, padded, length a multiple of 4; "" is valid.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(value: string): boolean {
  return BASE64_RE.test(value);
}
