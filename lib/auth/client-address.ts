// The custom server stamps every request with the socket's address in this header (replacing anything the
// client sent), so throttling cannot be dodged by forging X-Forwarded-For.
export const CLIENT_ADDRESS_HEADER = "x-switchboard-client-address";

export function clientAddressFromHeaders(headers: Headers | Record<string, string | string[] | undefined>): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.length < 100 ? v : "unknown";
}
