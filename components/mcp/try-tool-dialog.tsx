"use client";

import { useMutation } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { CallToolResultDto, McpToolDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { buildArguments, fieldsOf, type FormValues, type SchemaField } from "@/lib/mcp/schema-form";

function FieldInput({
  f,
  value,
  error,
  onChange,
}: {
  f: SchemaField;
  value: string | boolean | undefined;
  error?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = `arg-${f.name}`;
  const label = `${f.name}${f.required ? "" : " (optional)"}`;
  if (f.kind === "boolean")
    return (
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {label}
        {f.description && <span className="text-xs text-slate-500">{f.description}</span>}
      </label>
    );
  const text = typeof value === "string" ? value : "";
  return (
    <Field label={label} htmlFor={id} error={error} hint={f.description || (f.kind === "json" ? "JSON" : undefined)}>
      {f.kind === "enum" ? (
        <Select id={id} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {f.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      ) : f.kind === "json" ? (
        <Textarea id={id} rows={3} className="font-mono" value={text} invalid={!!error} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <Input
          id={id}
          inputMode={f.kind === "string" ? undefined : "decimal"}
          value={text}
          invalid={!!error}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Calls a tool with arguments from a form generated from its input schema (or raw JSON), and shows the result. */
export function TryToolDialog({ serverId, tool, onCalled }: { serverId: string; tool: McpToolDto; onCalled: () => void }) {
  const [open, setOpen] = useState(false);
  const fields = useMemo(() => fieldsOf(tool.inputSchema), [tool.inputSchema]);
  const [values, setValues] = useState<FormValues>({});
  const [raw, setRaw] = useState("{}");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = useMutation({
    mutationFn: (args: Record<string, unknown>) =>
      api<CallToolResultDto>(`/mcp-servers/${serverId}/tools/${encodeURIComponent(tool.name)}/call`, {
        method: "POST",
        body: { arguments: args },
      }),
    onSettled: onCalled,
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (fields) {
      const built = buildArguments(fields, values);
      setErrors(built.errors);
      if (Object.keys(built.errors).length === 0) run.mutate(built.args);
      return;
    }
    try {
      const args = JSON.parse(raw);
      if (!args || typeof args !== "object" || Array.isArray(args)) throw new Error();
      setErrors({});
      run.mutate(args);
    } catch {
      setErrors({ $raw: "Enter a JSON object" });
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) run.reset();
      }}
      trigger={
        <Button variant="secondary" size="sm" disabled={!tool.enabled} title={tool.enabled ? undefined : "Switch the tool on to try it"}>
          Try
        </Button>
      }
      title={`Try ${tool.name}`}
      description={tool.description || undefined}
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {fields ? (
          fields.length ? (
            fields.map((f) => (
              <FieldInput
                key={f.name}
                f={f}
                value={values[f.name]}
                error={errors[f.name]}
                onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))}
              />
            ))
          ) : (
            <p className="text-sm text-slate-500">This tool takes no arguments.</p>
          )
        ) : (
          <Field label="Arguments (JSON)" htmlFor="arg-raw" error={errors.$raw}>
            <Textarea id="arg-raw" rows={6} className="font-mono" value={raw} onChange={(e) => setRaw(e.target.value)} />
          </Field>
        )}
        <ErrorBanner error={run.error} />
        {run.data && (
          <section aria-label="Result" className="space-y-2">
            <div className="flex items-center gap-2 text-sm font-medium text-slate-700">
              Result {run.data.isError ? <Badge tone="red">Tool error</Badge> : <Badge tone="green">OK</Badge>}
            </div>
            <pre
              data-testid="tool-result"
              className="max-h-72 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
            >
              {run.data.content
                .map((c) => (c.type === "text" && typeof c.text === "string" ? c.text : JSON.stringify(c, null, 2)))
                .join("\n\n")}
              {run.data.structuredContent ? `\n\n${JSON.stringify(run.data.structuredContent, null, 2)}` : ""}
            </pre>
          </section>
        )}
        <DialogFooter>
          <Button type="submit" disabled={run.isPending}>
            {run.isPending ? "Running…" : "Run"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
