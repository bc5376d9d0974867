"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { MessageSquare } from "lucide-react";
import { useState } from "react";
import type { McpPromptDto } from "@/lib/schemas/mcp";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { mcpKeys } from "./keys";

type PromptResult = { description?: string; messages: { role?: string; content?: Record<string, unknown> }[] };

/** Gets a prompt with its arguments filled in from a form, and shows the messages it produces. */
function GetPromptDialog({ serverId, prompt }: { serverId: string; prompt: McpPromptDto }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const get = useMutation({
    mutationFn: (args: Record<string, string>) =>
      api<PromptResult>(`/mcp-servers/${serverId}/prompts/get`, { method: "POST", body: { name: prompt.name, arguments: args } }),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const missing = Object.fromEntries(
      prompt.arguments.filter((a) => a.required && !values[a.name]?.trim()).map((a) => [a.name, "Required"]),
    );
    setErrors(missing);
    if (Object.keys(missing).length) return;
    get.mutate(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")));
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) get.reset();
      }}
      trigger={
        <Button variant="secondary" size="sm">
          Get
        </Button>
      }
      title={`Get ${prompt.name}`}
      description={prompt.description}
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {prompt.arguments.length ? (
          prompt.arguments.map((a) => (
            <Field
              key={a.name}
              label={`${a.name}${a.required ? "" : " (optional)"}`}
              htmlFor={`prompt-${a.name}`}
              error={errors[a.name]}
              hint={a.description}
            >
              <Input
                id={`prompt-${a.name}`}
                value={values[a.name] ?? ""}
                invalid={!!errors[a.name]}
                onChange={(e) => setValues((v) => ({ ...v, [a.name]: e.target.value }))}
              />
            </Field>
          ))
        ) : (
          <p className="text-sm text-slate-500">This prompt takes no arguments.</p>
        )}
        <ErrorBanner error={get.error} />
        {get.data && (
          <pre
            data-testid="prompt-messages"
            className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
          >
            {get.data.messages
              .map((m) => `${m.role ?? "?"}: ${typeof m.content?.text === "string" ? m.content.text : JSON.stringify(m.content)}`)
              .join("\n\n")}
          </pre>
        )}
        <DialogFooter>
          <Button type="submit" disabled={get.isPending}>
            {get.isPending ? "Getting…" : "Get prompt"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

/** The server's prompts at its last discovery, with their arguments; get one. */
export function McpPrompts({ serverId, canManage }: { serverId: string; canManage: boolean }) {
  const [q, setQ] = useState("");
  const list = useQuery({
    queryKey: mcpKeys.prompts(serverId),
    queryFn: () => api<{ data: McpPromptDto[] }>(`/mcp-servers/${serverId}/prompts`),
  });
  const needle = q.trim().toLowerCase();
  const shown = list.data?.data.filter(
    (p) => !needle || [p.name, p.title ?? "", p.description ?? ""].some((t) => t.toLowerCase().includes(needle)),
  );
  return (
    <div className="space-y-3">
      <SearchInput label="Search prompts" value={q} onChange={setQ} />
      <ErrorBanner error={list.error} />
      <Table label="Prompts">
        <THead>
          <Th>Prompt</Th>
          <Th>Arguments</Th>
          <Th />
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={shown}
            columns={3}
            empty={
              <EmptyState icon={MessageSquare} title={needle ? "No prompt matches" : "No prompts"} className="border-0">
                {!needle && <p>The server offered no prompts at its last discovery.</p>}
              </EmptyState>
            }
          >
            {(p) => (
              <Tr key={p.name}>
                <Td>
                  <span className="font-mono text-sm font-medium text-slate-800">{p.name}</span>
                  {p.description && <span className="block max-w-2xl text-xs text-slate-500">{p.description}</span>}
                </Td>
                <Td className="text-xs text-slate-600">
                  {p.arguments.length ? p.arguments.map((a) => `${a.name}${a.required ? "" : "?"}`).join(", ") : "—"}
                </Td>
                <Td className="text-right">{canManage && <GetPromptDialog serverId={serverId} prompt={p} />}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
    </div>
  );
}
