import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// An operator allowed 127.0.0.1 (SWITCHBOARD_OUTBOUND_ALLOW): a document there is fetched, but a redirect from
// it to a private or metadata address is refused at that hop, and a $ref leading there too. Set before the
// modules that read the environment are loaded.
process.env.SWITCHBOARD_OUTBOUND_ALLOW = "127.0.0.1";
const { loadDocument, fetchDocument } = await import("./load-document");
const { expectAppError } = await import("../testing/errors");

const DOC = {
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  paths: { "/a": { get: { responses: { 200: { $ref: "./shared.json#/Ok" } } } } },
};

describe("documents behind redirects", () => {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/doc.json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(DOC));
      if (req.url === "/shared.json") return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/shared.json" }).end();
      if (req.url === "/to-private") return res.writeHead(301, { location: "http://10.0.0.7/openapi.json" }).end();
      if (req.url === "/ok-shared.json")
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Ok: { description: "ok" } }));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("refuses a document URL that redirects to a private address", async () => {
    const e = await expectAppError(fetchDocument(`${base}/to-private`), "bad_request");
    expect(e.message).toMatch(/not allowed/);
  });

  it("refuses an external $ref that redirects to the metadata address; follows one that stays allowed", async () => {
    const e = await expectAppError(loadDocument(JSON.stringify(DOC), { baseUrl: `${base}/doc.json` }), "validation_failed");
    expect(e.message).toBe("An external reference could not be resolved");
    expect(e.fields?.[0]).toMatchObject({ path: "paths./a.get.responses.200.$ref", message: expect.stringMatching(/not allowed/) });
    const good = JSON.stringify(DOC).replace("./shared.json", "./ok-shared.json");
    const { document } = await loadDocument(good, { baseUrl: `${base}/doc.json` });
    expect(JSON.stringify(document)).not.toContain("ok-shared.json");
    expect(
      (document as { paths: Record<string, { get: { responses: Record<string, unknown> } }> }).paths["/a"].get.responses["200"],
    ).toEqual({
      $ref: "#/x-switchboard-external/0/Ok",
    });
    const { extractProvider } = await import("./extract");
    expect(extractProvider(document).operations[0].responses).toEqual({ 200: { description: "ok", contentTypes: [] } });
  });
});
