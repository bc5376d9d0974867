import ipaddr from "ipaddr.js";

// Which addresses an outbound request may connect to. Everything that is not plain public unicast (private,
// loopback, link-local and cloud metadata, CGNAT, unique-local, NAT64/mapped forms of those...) is refused
// unless the operator allowed it (SWITCHBOARD_OUTBOUND_ALLOW) or an admin marked the target internal.

export interface AllowList {
  hosts: Set<string>;
  cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export function parseAllowList(spec: string): AllowList {
  const hosts = new Set<string>();
  const cidrs: AllowList["cidrs"] = [];
  for (const raw of spec
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (raw.includes("/") && ipaddr.isValidCIDR(raw)) cidrs.push(ipaddr.parseCIDR(raw));
    else if (ipaddr.isValid(raw)) {
      const a = ipaddr.parse(raw);
      cidrs.push([a, a.kind() === "ipv4" ? 32 : 128]);
    } else hosts.add(raw.replace(/^\[|\]$/g, ""));
  }
  return { hosts, cidrs };
}

/** The IPv4 address hidden in an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (a.isIPv4MappedAddress()) return a.toIPv4Address();
  if (a.range() === "rfc6052" || a.range() === "rfc6145" || a.range() === "6to4" || a.range() === "teredo") {
    const bytes = a.toByteArray();
    return ipaddr.fromByteArray(bytes.slice(12)) as ipaddr.IPv4;
  }
  return null;
}

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let a = ipaddr.parse(address);
  if (a.kind() === "ipv6") {
    const v4 = embeddedIPv4(a as ipaddr.IPv6);
    if (v4) a = v4;
  }
  return a.range() === "unicast";
}

function inAllowList(address: string, allow: AllowList): boolean {
  if (!ipaddr.isValid(address)) return false;
  const a = ipaddr.process(address);
  return allow.cidrs.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}

export function addressAllowed(address: string, opts: { hostname: string; allowPrivate: boolean; allow: AllowList }): boolean {
  if (opts.allowPrivate) return true;
  if (opts.allow.hosts.has(opts.hostname.toLowerCase())) return true;
  if (inAllowList(address, opts.allow)) return true;
  return isPublicAddress(address);
}

// Ports of services that have no business receiving a vendor or webhook call from us.
const DENIED_PORTS = new Set([0, 22, 23, 25, 110, 143, 465, 587, 993, 995, 2375, 2376, 2379, 3306, 5432, 5672, 6379, 9200, 11211, 27017]);

export function portAllowed(port: number, allowPrivate: boolean): boolean {
  if (allowPrivate) return port > 0 && port < 65536;
  if (port === 80 || port === 443) return true;
  return port >= 1024 && port < 65536 && !DENIED_PORTS.has(port);
}
