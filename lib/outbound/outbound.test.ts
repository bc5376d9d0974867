import dns from "node:dns";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutboundUrl, outboundFetch, OutboundBlockedError } from "./fetch";
import { isPublicAddress, parseAllowList, addressAllowed } from "./address-policy";

const SSRF_CORPUS = [
  "http://127.0.0.1/",
  "http://127.1/",
  "http://2130706433/",
  "http://0x7f000001/",
  "http://0177.0.0.1/",
  "http://0.0.0.0/",
  "http://localhost/",
  "http://[::1]/",
  "http://[::]/",
  "http://169.254.169.254/latest/meta-data/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://10.1.2.3/",
  "http://172.16.5.4/",
  "http://192.168.0.10/",
  "http://100.64.0.1/",
  "http://[fc00::1]/",
  "http://[fe80::1]/",
  "http://good@127.0.0.1/",
  "http://user:pass@example.com/",
  " http://example.com/",
  "http://example.com/\n",
  "file:///etc/passwd",
  "gopher://example.com/",
  "data:text/plain,hello",
  "javascript:alert(1)",
  "http://example.com:22/",
  "http://example.com:6379/",
];

describe("checkOutboundUrl", () => {
  it.each(SSRF_CORPUS)("refuses %j", (url) => {
    expect(() => checkOutboundUrl(url)).toThrow(OutboundBlockedError);
  });

  it("allows public https and http URLs", () => {
    expect(checkOutboundUrl("https://api.openai.com/v1").hostname).toBe("api.openai.com");
    expect(checkOutboundUrl("http://93.184.216.34:8080/x").port).toBe("8080");
  });

  it("allows private addresses for internal objects", () => {
    expect(checkOutboundUrl("http://10.0.0.5:8000/v1", true).hostname).toBe("10.0.0.5");
    expect(() => checkOutboundUrl("file:///etc/passwd", true)).toThrow(OutboundBlockedError);
  });
});

describe("address policy", () => {
  it("treats only public unicast as public", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("2606:4700::1111")).toBe(true);
    for (const a of ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "fd00::1", "224.0.0.1"]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it("the operator's allow list admits hosts, addresses and CIDRs", () => {
    const allow = parseAllowList("vllm.lan, 10.0.0.0/8, ::1");
    expect(addressAllowed("10.9.8.7", { hostname: "x", allowPrivate: false, allow })).toBe(true);
    expect(addressAllowed("192.168.1.1", { hostname: "vllm.lan", allowPrivate: false, allow })).toBe(true);
    expect(addressAllowed("::1", { hostname: "x", allowPrivate: false, allow })).toBe(true);
    expect(addressAllowed("192.168.1.1", { hostname: "other", allowPrivate: false, allow })).toBe(false);
  });
});

describe("outboundFetch against local servers", () => {
  const seen: { path: string; authorization?: string }[] = [];
  let a: http.Server;
  let b: http.Server;
  let aUrl = "";
  let bUrl = "";
  beforeAll(async () => {
    b = http.createServer((req, res) => {
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
      res.end("from b");
    });
    a = http.createServer((req, res) => {
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
      if (req.url === "/to-b") res.writeHead(302, { location: `${bUrl}/landed` }).end();
      else if (req.url === "/to-file") res.writeHead(302, { location: "file:///etc/passwd" }).end();
      else if (req.url?.startsWith("/loop")) res.writeHead(302, { location: "/loop" }).end();
      else if (req.url === "/same-origin") res.writeHead(302, { location: "/ok" }).end();
      else res.end("ok");
    });
    await Promise.all([new Promise<void>((r) => a.listen(0, "127.0.0.1", r)), new Promise<void>((r) => b.listen(0, "127.0.0.1", r))]);
    aUrl = `http://127.0.0.1:${(a.address() as AddressInfo).port}`;
    bUrl = `http://127.0.0.1:${(b.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    a.close();
    b.close();
  });

  it("refuses a loopback target unless it is internal", async () => {
    await expect(outboundFetch(`${aUrl}/ok`)).rejects.toBeInstanceOf(OutboundBlockedError);
    const res = await outboundFetch(`${aUrl}/ok`, { allowPrivate: true });
    expect(await res.text()).toBe("ok");
  });

  it("checks the address a name resolves to at connect time", async () => {
    const port = (a.address() as AddressInfo).port;
    // This machine's own name resolves (through /etc/hosts) to a private address: no name check catches it,
    // the connect-time check must.
    const name = os.hostname();
    const { address } = await dns.promises.lookup(name);
    expect(isPublicAddress(address), `${name} resolves to ${address}`).toBe(false);
    await expect(outboundFetch(`http://${name}:${port}/ok`)).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(await (await outboundFetch(`http://${name}:${port}/ok`, { allowPrivate: true })).text()).toBe("ok");
  });

  it("drops credentials when a redirect changes origin, keeps them on the same origin", async () => {
    seen.length = 0;
    const res = await outboundFetch(`${aUrl}/to-b`, { allowPrivate: true, headers: { authorization: "Bearer sk-secret" } });
    expect(await res.text()).toBe("from b");
    expect(seen).toEqual([
      { path: "/to-b", authorization: "Bearer sk-secret" },
      { path: "/landed", authorization: undefined },
    ]);
    seen.length = 0;
    await (await outboundFetch(`${aUrl}/same-origin`, { allowPrivate: true, headers: { authorization: "Bearer sk-secret" } })).text();
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer sk-secret", "Bearer sk-secret"]);
  });

  it("refuses a redirect to another origin when asked to (connector calls stay on their host)", async () => {
    seen.length = 0;
    const call = outboundFetch(`${aUrl}/to-b`, {
      allowPrivate: true,
      headers: { "x-custom-key": "k-secret" },
      crossOriginRedirects: "refuse",
    });
    await expect(call).rejects.toThrow(/Redirect to another host \(127\.0\.0\.1:\d+\) refused/);
    expect(seen.map((s) => s.path)).toEqual(["/to-b"]);
    const same = await outboundFetch(`${aUrl}/same-origin`, { allowPrivate: true, crossOriginRedirects: "refuse" });
    expect(await same.text()).toBe("ok");
  });

  it("re-checks every hop and bounds the number of redirects", async () => {
    await expect(outboundFetch(`${aUrl}/to-file`, { allowPrivate: true })).rejects.toBeInstanceOf(OutboundBlockedError);
    await expect(outboundFetch(`${aUrl}/loop`, { allowPrivate: true, maxRedirects: 2 })).rejects.toThrow(/Too many redirects/);
  });
});
