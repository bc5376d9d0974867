import {
  createWebhookSchema,
  updateWebhookSchema,
  type CreateWebhookInput,
  type UpdateWebhookInput,
  type WebhookDto,
  type WebhookScheme,
} from "../schemas/webhooks";
import { zodProblems } from "../schemas/zod";

// The console's endpoint form (components/webhooks): its state (what the inputs hold, as typed), the payload
// built from it, and the schema's problems mapped back onto the inputs. The create dialog and the settings card
// share all three; it lives here, framework-free, so it is unit tested.

export interface WebhookFormState {
  name: string;
  description: string;
  scheme: WebhookScheme;
  header: string;
  prefix: string;
  encoding: "hex" | "base64";
  toleranceSeconds: string;
  secretSource: "generate" | "sender";
  secret: string;
  /** "worker:<id>" or "workflow:<id>"; "" when none is picked. */
  target: string;
  mode: "async" | "sync";
  syncTimeoutSeconds: string;
  /** One dotted path per line (or comma separated). */
  redactFields: string;
  retentionDays: string;
  maxBodyKiB: string;
  enabled: boolean;
}

/** Keyed by input; `form` holds a problem no input shows. */
export type FormErrors = Partial<Record<keyof WebhookFormState | "form", string>>;

export const EMPTY_FORM: WebhookFormState = {
  name: "",
  description: "",
  scheme: "standard-webhooks",
  header: "",
  prefix: "",
  encoding: "hex",
  toleranceSeconds: "",
  secretSource: "generate",
  secret: "",
  target: "",
  mode: "async",
  syncTimeoutSeconds: "30",
  redactFields: "",
  retentionDays: "30",
  maxBodyKiB: "1024",
  enabled: true,
};

export function formFromDto(d: WebhookDto): WebhookFormState {
  return {
    name: d.name,
    description: d.description,
    scheme: d.scheme,
    header: d.options.header ?? "",
    prefix: d.options.prefix ?? "",
    encoding: d.options.encoding ?? "hex",
    toleranceSeconds: d.options.toleranceSeconds ? String(d.options.toleranceSeconds) : "",
    secretSource: "generate",
    secret: "",
    target: `${d.target.type}:${d.target.id}`,
    mode: d.mode,
    syncTimeoutSeconds: String(d.syncTimeoutMs / 1000),
    redactFields: d.redactFields.join("\n"),
    retentionDays: String(d.retentionDays),
    maxBodyKiB: String(Math.round(d.maxBodyBytes / 1024)),
    enabled: d.enabled,
  };
}

/** "" is "use the default" (undefined); anything else a number, NaN included, so the schema names the field. */
const num = (s: string) => (s.trim() === "" ? undefined : Number(s.trim()));
const scaled = (s: string, by: number) => {
  const n = num(s);
  return n === undefined ? undefined : Math.round(n * by);
};

function common(f: WebhookFormState) {
  const [type, ...rest] = f.target.split(":");
  return {
    name: f.name,
    description: f.description,
    scheme: f.scheme,
    options: {
      ...(takesHeader(f.scheme) && f.header.trim() ? { header: f.header.trim() } : {}),
      // Not trimmed: a prefix such as "Bearer " ends with its space.
      ...(takesHeader(f.scheme) && f.prefix ? { prefix: f.prefix } : {}),
      ...(takesEncoding(f.scheme) ? { encoding: f.encoding } : {}),
      ...(takesTolerance(f.scheme) && f.toleranceSeconds.trim() ? { toleranceSeconds: num(f.toleranceSeconds) } : {}),
    },
    target: f.target ? { type, id: rest.join(":") } : undefined,
    mode: f.mode,
    syncTimeoutMs: scaled(f.syncTimeoutSeconds, 1000),
    redactFields: f.redactFields
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean),
    retentionDays: num(f.retentionDays),
    maxBodyBytes: scaled(f.maxBodyKiB, 1024),
    enabled: f.enabled,
  };
}

const FIELD_OF: Record<string, keyof WebhookFormState> = {
  "options.header": "header",
  "options.prefix": "prefix",
  "options.encoding": "encoding",
  "options.toleranceSeconds": "toleranceSeconds",
  syncTimeoutMs: "syncTimeoutSeconds",
  maxBodyBytes: "maxBodyKiB",
};
// Inputs in other units than the schema's: the schema's bounds restated in the input's unit.
const UNIT_MESSAGES: FormErrors = {
  syncTimeoutSeconds: "Between 1 and 120 seconds",
  maxBodyKiB: "Between 1 and 10240 KiB (10 MiB)",
};

/** Problems from the schema or the API's field errors, keyed by the form's inputs. */
export function formErrors(problems: { path: string; message: string }[], f: WebhookFormState): FormErrors {
  const out: FormErrors = {};
  const lines = f.redactFields
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of problems) {
    let key: keyof FormErrors | undefined = FIELD_OF[p.path];
    let message = p.message;
    const redact = /^redactFields\[(\d+)\]$/.exec(p.path);
    if (redact) {
      key = "redactFields";
      message = `${lines[Number(redact[1])] ?? ""}: ${p.message}`;
    } else if (p.path === "redactFields") key = "redactFields";
    else if (p.path.startsWith("target")) key = "target";
    else if (!key && p.path in f) key = p.path as keyof WebhookFormState;
    if (key && UNIT_MESSAGES[key]) message = UNIT_MESSAGES[key] ?? message;
    if (!key) {
      key = "form";
      message = `${p.path}: ${message}`;
    }
    out[key] ??= message;
  }
  return out;
}

export function parseCreate(f: WebhookFormState): { data: CreateWebhookInput } | { errors: FormErrors } {
  const input = { ...common(f), ...(f.secretSource === "sender" ? { secret: f.secret } : {}) };
  const r = createWebhookSchema.safeParse(input);
  return r.success ? { data: r.data } : { errors: formErrors(zodProblems(r.error), f) };
}

/** The settings card leaves `enabled` to the page's Enable/Disable button, so a save never undoes a toggle. */
export function parseUpdate(f: WebhookFormState): { data: UpdateWebhookInput } | { errors: FormErrors } {
  const { enabled: _toggledElsewhere, ...input } = common(f);
  const r = updateWebhookSchema.safeParse(input);
  return r.success ? { data: r.data } : { errors: formErrors(zodProblems(r.error), f) };
}

/** Settings each scheme takes; the rest are fixed by the sender's format. */
export const takesHeader = (s: WebhookScheme) => s === "secret-header" || s === "hmac-sha256";
export const takesEncoding = (s: WebhookScheme) => s === "hmac-sha256";
export const takesTolerance = (s: WebhookScheme) => s === "standard-webhooks" || s === "stripe" || s === "slack";

/** Stripe and Slack issue the secret themselves: the dialog suggests pasting it. */
export const senderIssuesSecret = (s: WebhookScheme) => s === "stripe" || s === "slack";
