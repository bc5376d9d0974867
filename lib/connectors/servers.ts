import type { ProviderDto } from "../schemas/providers";

// Pure helpers on a provider's servers, shared by the server-side checks and the console's dialog.

export type Server = ProviderDto["servers"][number];

export const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** The provider's server URLs with their variables filled from `params` (else their defaults). */
export function serverUrls(servers: Server[], params: Record<string, string>): { url: string; missing: string[] }[] {
  return servers.map((s) => {
    if (!s.template || !s.variables) return { url: trimSlash(s.url), missing: [] };
    let url = s.template;
    const missing: string[] = [];
    for (const [name, v] of Object.entries(s.variables)) {
      const value = params[name] ?? v.default;
      if (!value) missing.push(name);
      url = url.replaceAll(`{${name}}`, encodeURIComponent(value));
    }
    return { url: trimSlash(url), missing };
  });
}
