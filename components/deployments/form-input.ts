// FormData -> the input of the deployment schemas. Empty numeric fields are left out so the schema's defaults apply.

export const text = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === "string" ? v : undefined;
};

export const num = (f: FormData, name: string): number | undefined => {
  const v = text(f, name)?.trim();
  return v ? Number(v) : undefined;
};

export const checked = (f: FormData, name: string) => f.get(name) === "on";

export function healthCheckInput(f: FormData) {
  return {
    intervalSeconds: num(f, "intervalSeconds"),
    path: text(f, "healthPath") || undefined,
    timeoutMs: num(f, "timeoutMs"),
    unhealthyAfter: num(f, "unhealthyAfter"),
    healthyAfter: num(f, "healthyAfter"),
  };
}

export function instanceInput(f: FormData) {
  return {
    url: text(f, "url")?.trim() ?? "",
    replicas: num(f, "replicas"),
    gpu: text(f, "gpu") ?? "",
    weight: num(f, "weight"),
    enabled: checked(f, "enabled"),
  };
}

/** A field's error from the client (dotted path) or the server (`instances[0].url`). */
export const fieldError = (errors: Record<string, string>, path: string) =>
  errors[path] ?? errors[path.replace(/\.(\d+)(?=\.|$)/g, "[$1]")];
