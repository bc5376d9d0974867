"use client";

import { useMutation } from "@tanstack/react-query";
import { FileUp, Link2, Upload } from "lucide-react";
import { useState } from "react";
import type { ProviderDto } from "@/lib/schemas/providers";
import { api, ApiError } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";

type Source = "file" | "paste" | "url";
const MAX_BYTES = 20 * 1024 * 1024;
const SOURCES: { id: Source; label: string; icon: typeof Upload }[] = [
  { id: "file", label: "Upload a file", icon: FileUp },
  { id: "paste", label: "Paste", icon: Upload },
  { id: "url", label: "From a URL", icon: Link2 },
];

const sizeLabel = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** The problems of a failed import, each with its place in the document. */
function ImportProblems({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as ApiError;
  return (
    <div
      role="alert"
      data-testid="import-errors"
      className="mt-4 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200"
    >
      <p className="font-medium">{e.detail ?? e.message}</p>
      {e instanceof ApiError && e.errors.length > 0 && (
        <ul className="mt-2 max-h-48 space-y-1 overflow-y-auto text-xs">
          {e.errors.map((f, i) => (
            <li key={i}>
              <code className="font-mono text-red-700">{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {e instanceof ApiError && e.requestId && <p className="mt-1 font-mono text-xs text-red-600/80">Request id: {e.requestId}</p>}
    </div>
  );
}

/**
 * Imports a provider (workspaceId) or a new version of one (providerId) from an uploaded file, pasted text or a
 * URL. The server validates the whole document before storing anything; the dialog says what it is doing.
 */
export function ImportDialog({
  workspaceId,
  provider,
  trigger,
  onImported,
}: {
  workspaceId: string;
  provider?: { id: string; name: string };
  trigger: React.ReactNode;
  onImported: (p: ProviderDto & { versionCreated?: boolean }) => void;
}) {
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState<Source>("file");
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState("");
  const [url, setUrl] = useState("");
  const [localError, setLocalError] = useState("");
  const [result, setResult] = useState<string>("");

  const run = useMutation({
    mutationFn: async () => {
      const body = source === "url" ? { url } : { document: text };
      if (provider) return api<ProviderDto & { versionCreated: boolean }>(`/providers/${provider.id}/import`, { method: "POST", body });
      return api<ProviderDto>("/providers", { method: "POST", query: { workspaceId }, body: { name, ...body } });
    },
    onSuccess: (p) => {
      onImported(p);
      if (provider) {
        setResult(
          "versionCreated" in p && p.versionCreated === false
            ? "The document is identical to the current version: no new version was made."
            : `Version ${p.currentVersionNumber} imported with ${p.operationCount.toLocaleString("en")} operations.`,
        );
      } else setOpen(false);
    },
  });

  const reset = () => {
    setSource("file");
    setName("");
    setText("");
    setFileName("");
    setUrl("");
    setLocalError("");
    setResult("");
    run.reset();
  };

  const onFile = async (file: File | undefined) => {
    setLocalError("");
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setLocalError(`${file.name} is ${sizeLabel(file.size)}; the limit is 20 MB`);
      return;
    }
    setFileName(`${file.name} (${sizeLabel(file.size)})`);
    setText(await file.text());
    if (!name && !provider)
      setName(
        file.name
          .replace(/\.(ya?ml|json)$/i, "")
          .replace(/[^\p{L}\p{N} ._-]+/gu, " ")
          .trim()
          .slice(0, 80),
      );
  };

  const ready = (provider || name.trim().length >= 2) && (source === "url" ? /^https?:\/\//i.test(url.trim()) : text.trim().length > 0);
  const progress = run.isPending
    ? source === "url"
      ? "Fetching the document, validating it and reading its operations…"
      : `Sending ${sizeLabel(new Blob([text]).size)}, validating and reading its operations…`
    : "";

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
      trigger={trigger}
      title={provider ? `Import a new version of ${provider.name}` : "Import an API provider"}
      description="An OpenAPI document: Swagger 2.0, OpenAPI 3.0 or 3.1, in JSON or YAML, up to 20 MB. Nothing is stored unless the whole document is valid."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) run.mutate();
        }}
        className="space-y-4"
      >
        {!provider && (
          <Field label="Name" htmlFor="provider-name" error={(run.error as ApiError | null)?.fieldErrors?.().name}>
            <Input
              id="provider-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={80}
              placeholder="e.g. GitHub"
              required
            />
          </Field>
        )}
        <div role="tablist" aria-label="Source" className="flex gap-1 rounded-md bg-slate-100 p-1">
          {SOURCES.map((s) => (
            <button
              key={s.id}
              type="button"
              role="tab"
              aria-selected={source === s.id}
              onClick={() => setSource(s.id)}
              className={`flex flex-1 items-center justify-center gap-1.5 rounded px-2 py-1.5 text-xs font-medium ${source === s.id ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
            >
              <s.icon className="size-3.5" aria-hidden /> {s.label}
            </button>
          ))}
        </div>
        {source === "file" && (
          <Field label="Document file" htmlFor="provider-file" hint={fileName || "A .json, .yaml or .yml file"} error={localError}>
            <Input
              id="provider-file"
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
              onChange={(e) => void onFile(e.target.files?.[0])}
            />
          </Field>
        )}
        {source === "paste" && (
          <Field label="Document" htmlFor="provider-text" hint="JSON or YAML">
            <Textarea
              id="provider-text"
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={10}
              className="font-mono text-xs"
              spellCheck={false}
            />
          </Field>
        )}
        {source === "url" && (
          <Field
            label="URL of the document"
            htmlFor="provider-url"
            hint="Fetched by the server through the outbound guard (private and internal addresses are refused)."
          >
            <Input
              id="provider-url"
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://example.com/openapi.yaml"
            />
          </Field>
        )}
        {progress && (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
            <span className="size-3.5 animate-spin rounded-full border-2 border-brand-500 border-r-transparent" aria-hidden /> {progress}
          </p>
        )}
        {result && (
          <p role="status" className="text-sm text-emerald-700">
            {result}
          </p>
        )}
        <ImportProblems error={run.error} />
        <DialogFooter>
          <Button type="submit" pending={run.isPending} disabled={!ready || run.isPending}>
            {provider ? "Import version" : "Import"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
