import { z } from "zod";
import type { ConnectorAuthMode } from "./types";

// The static modes: a secret that goes on every request as it is. HTTP header names are tokens (RFC 9110).
const headerName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a valid HTTP header name");
const secret = z
  .string()
  .min(1, "must not be empty")
  .max(8192)
  .refine((s) => !/[\r\n\0]/.test(s), "must not contain line breaks or NUL");

const apiKeyInput = z.object({ in: z.enum(["header", "query", "cookie"]), name: headerName, value: secret }).strict();
export const apiKeyMode: ConnectorAuthMode<z.infer<typeof apiKeyInput>> = {
  mode: "api-key",
  label: "API key",
  input: apiKeyInput,
  secretFields: ["value"],
  defaults: (schemes) => {
    const scheme = schemes.find((s) => s.type === "apiKey" && s.in && s.name);
    return scheme ? { in: scheme.in, name: scheme.name } : {};
  },
  settings: (i) => ({ in: i.in, name: i.name }),
  describe: (s, masks) => ({ in: s.in, name: s.name, value: masks.value ?? "" }),
  apply(target, s, secrets) {
    const name = String(s.name);
    const value = secrets.value ?? "";
    if (s.in === "query") target.query.push([name, value]);
    else if (s.in === "cookie") target.cookies.push([name, value]);
    else target.headers[name.toLowerCase()] = value;
  },
};

const tokenInput = z.object({ value: secret }).strict();
export const bearerMode: ConnectorAuthMode<z.infer<typeof tokenInput>> = {
  mode: "bearer",
  label: "Bearer token",
  input: tokenInput,
  secretFields: ["value"],
  settings: () => ({}),
  describe: (_s, masks) => ({ value: masks.value ?? "" }),
  apply(target, _s, secrets) {
    target.headers.authorization = `Bearer ${secrets.value ?? ""}`;
  },
};

const basicInput = z
  .object({
    username: z
      .string()
      .min(1)
      .max(512)
      .refine((s) => !s.includes(":") && !/[\r\n\0]/.test(s), "must not contain ':' or line breaks"),
    password: secret,
  })
  .strict();
export const basicMode: ConnectorAuthMode<z.infer<typeof basicInput>> = {
  mode: "basic",
  label: "Basic (username and password)",
  input: basicInput,
  secretFields: ["password"],
  settings: (i) => ({ username: i.username }),
  describe: (s, masks) => ({ username: s.username, password: masks.password ?? "" }),
  apply(target, s, secrets) {
    const pair = `${String(s.username)}:${secrets.password ?? ""}`;
    target.headers.authorization = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
  },
};
