import { AppError } from "../errors";

/**
 * Reads a body stream as UTF-8 up to `max` bytes. Past the limit it either stops reading and returns what it has
 * ("truncate", for answers from upstreams) or refuses with 413 ("throw", for request bodies).
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, max: number, onOverflow: "throw" | "truncate"): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      if (onOverflow === "throw") throw new AppError("payload_too_large", `Body is larger than ${Math.round(max / 1024)} KiB`);
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
