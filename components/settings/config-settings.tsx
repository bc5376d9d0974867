"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download, FileUp } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { ApplyResult } from "@/lib/config/apply-config";
import { api, ApiError, apiUrl } from "@/components/api/client";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { auditKeys, tokenKeys, workspaceKeys } from "./keys";

const EXAMPLE = `workspaces:
  - name: research
    description: Agents of the research team
`;

const actionTone = { create: "green", update: "amber", unchanged: "slate" } as const;

export function ConfigSettings() {
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const fileInput = useRef<HTMLInputElement>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      api<ApplyResult>("/config", { method: "POST", query: { dryRun }, body: text, contentType: "application/yaml" }),
    onSuccess: (r) => {
      if (r.dryRun) return;
      // A file may create or change workspaces and admin tokens; each write is in the audit log.
      qc.invalidateQueries({ queryKey: workspaceKeys.all });
      qc.invalidateQueries({ queryKey: tokenKeys.all });
      qc.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
  const problems = run.error instanceof ApiError ? run.error.errors : [];
  const outcome = useRef<HTMLDivElement>(null);
  // The outcome appears below a tall editor; bring it into view.
  useEffect(() => {
    if (run.isSuccess || run.isError) outcome.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [run.isSuccess, run.isError, run.submittedAt]);

  async function loadFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    run.reset();
  }

  return (
    <div className="space-y-6">
      <section aria-label="Export" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <SectionHeader
          title="Export"
          description="Download what this installation holds as a YAML file in the configuration-as-code format. Secrets are never exported."
          actions={
            <a
              href={apiUrl("/config")}
              download="switchboard.yaml"
              className="inline-flex items-center gap-1.5 rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
            >
              <Download className="size-4" aria-hidden /> Export YAML
            </a>
          }
        />
      </section>

      <section aria-label="Apply" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <SectionHeader
          title="Apply"
          description={
            <>
              Paste or load a YAML file. Validate shows what would change without writing; Apply writes everything or nothing. Secrets can
              be given as <code className="font-mono text-xs">{"${env:NAME}"}</code>.
            </>
          }
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate(false);
          }}
          className="space-y-3"
        >
          <label htmlFor="config-text" className="block text-sm font-medium text-slate-700">
            Configuration
          </label>
          <textarea
            id="config-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            rows={14}
            placeholder={EXAMPLE}
            className={`${inputClass} font-mono text-xs leading-5`}
          />
          <div className="flex flex-wrap items-center gap-2">
            <Button
              type="button"
              variant="secondary"
              onClick={() => run.mutate(true)}
              pending={run.isPending && run.variables === true}
              disabled={!text.trim()}
            >
              Validate
            </Button>
            <Button type="submit" pending={run.isPending && run.variables === false} disabled={!text.trim()}>
              Apply
            </Button>
            <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
            <input
              ref={fileInput}
              type="file"
              accept=".yaml,.yml,.json,application/yaml,application/json"
              className="sr-only"
              tabIndex={-1}
              aria-hidden
              onChange={(e) => loadFile(e.target.files?.[0])}
            />
            <Button type="button" variant="ghost" onClick={() => fileInput.current?.click()}>
              <FileUp className="size-4" aria-hidden /> Load from file
            </Button>
          </div>
        </form>
      </section>

      <div ref={outcome} className="space-y-6">
        {run.error && (
          <section aria-label="Problems" className="space-y-3">
            <ErrorBanner error={run.error} />
            {problems.length > 0 && (
              <ul className="divide-y divide-slate-100 rounded-lg bg-white font-mono text-xs shadow-sm ring-1 ring-red-200">
                {problems.map((p, i) => (
                  <li key={i} className="px-4 py-2 text-red-800">
                    {p.path}: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        {run.data && (
          <section aria-label="Result" className="space-y-3">
            <SuccessNote>
              {run.data.dryRun ? "Valid. Nothing was written; this is what Apply would do:" : "Applied."} {run.data.summary.create} to
              create, {run.data.summary.update} to update, {run.data.summary.unchanged} unchanged.
            </SuccessNote>
            {run.data.changes.length > 0 && (
              <Table label="Changes">
                <THead>
                  <Th>Section</Th>
                  <Th>Name</Th>
                  <Th>Result</Th>
                  <Th>Fields</Th>
                </THead>
                <tbody>
                  {run.data.changes.map((c) => (
                    <Tr key={`${c.section}/${c.name}`}>
                      <Td className="font-mono text-xs">{c.section}</Td>
                      <Td className="font-medium text-slate-900">{c.name}</Td>
                      <Td>
                        <Badge tone={actionTone[c.action]}>{c.action}</Badge>
                      </Td>
                      <Td className="font-mono text-xs text-slate-500">
                        {c.fields?.join(", ") || "—"}
                        {c.note && <div className="font-sans text-slate-600">{c.note}</div>}
                      </Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
