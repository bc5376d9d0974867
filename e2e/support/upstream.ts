import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake upstream on loopback that reads each JSON request body and lets `handle` answer it. Returns the server
 * and its OpenAI-style base URL (`http://127.0.0.1:PORT/v1`). Platforms pointing at it must be `internal: true`.
 */
export function startJsonUpstream(
  handle: (body: Record<string, any>, req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => handle(JSON.parse(raw || "{}"), req, res));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` })),
  );
}
