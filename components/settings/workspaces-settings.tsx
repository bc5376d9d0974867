"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Plus, Workflow } from "lucide-react";
import { useState } from "react";
import { createWorkspaceSchema } from "@/lib/schemas/workspaces";
import type { WorkspaceDto } from "@/lib/workspaces/workspace-dto";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Textarea } from "@/components/ui/field";
import { formatDate } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { workspaceKeys } from "./keys";

export function WorkspacesSettings({ currentSlug, openCreate }: { currentSlug: string; openCreate: boolean }) {
  const [q, setQ] = useState("");
  const [created, setCreated] = useState<WorkspaceDto | null>(null);
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: [...workspaceKeys.list(q), pages.cursor],
    queryFn: () => api<Page<WorkspaceDto>>("/workspaces", { query: { q, cursor: pages.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-label="Workspaces">
      <SectionHeader
        title="Workspaces"
        description="Every workspace of this installation. Workspaces isolate everything: members, providers, keys and usage."
        actions={<CreateWorkspaceDialog initiallyOpen={openCreate} onCreated={setCreated} />}
      />
      {created && (
        <SuccessNote className="mb-3">
          Created {created.name}.{" "}
          <Link href={`/w/${created.slug}`} className="font-medium underline">
            Open it
          </Link>
        </SuccessNote>
      )}
      <div className="mb-3">
        <SearchInput
          label="Search workspaces"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Workspaces">
        <THead>
          <Th>Name</Th>
          <Th>Description</Th>
          <Th>Members</Th>
          <Th>Created</Th>
          <Th className="text-right">
            <span className="sr-only">Open</span>
          </Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={5}
            empty={<EmptyState icon={Workflow} title="No workspace matches this search" className="border-0" />}
          >
            {(w) => (
              <Tr key={w.id}>
                <Td className="font-medium text-slate-900">
                  {w.name}
                  {w.slug === currentSlug && (
                    <Badge tone="brand" className="ml-2">
                      current
                    </Badge>
                  )}
                  <span className="block font-mono text-xs font-normal text-slate-400">/w/{w.slug}</span>
                </Td>
                <Td className="max-w-md text-slate-500">
                  <span className="line-clamp-2">{w.description || "—"}</span>
                </Td>
                <Td className="tabular-nums">{w.memberCount ?? "—"}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDate(w.createdAt)}</Td>
                <Td className="text-right">
                  <Link href={`/w/${w.slug}`} className="text-sm font-medium text-brand-600 hover:underline" aria-label={`Open ${w.name}`}>
                    Open
                  </Link>
                </Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </section>
  );
}

function CreateWorkspaceDialog({ initiallyOpen, onCreated }: { initiallyOpen: boolean; onCreated: (w: WorkspaceDto) => void }) {
  const router = useRouter();
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={createWorkspaceSchema}
      toInput={(f) => ({ name: f.get("name"), description: f.get("description") })}
      mutationFn={(input) => api<WorkspaceDto>("/workspaces", { method: "POST", body: input })}
      onSuccess={(w) => {
        onCreated(w);
        qc.invalidateQueries({ queryKey: workspaceKeys.all });
        // The switcher in the sidebar is server-rendered.
        router.refresh();
      }}
      initiallyOpen={initiallyOpen}
      title="Create workspace"
      description="You become its first Admin. Add members afterwards in its settings."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Create workspace
        </Button>
      }
      submitLabel="Create"
    >
      {(errors) => (
        <>
          <Field label="Name" htmlFor="new-ws-name" error={errors.name}>
            <Input id="new-ws-name" name="name" autoComplete="off" invalid={!!errors.name} autoFocus />
          </Field>
          <Field label="Description" htmlFor="new-ws-description" error={errors.description}>
            <Textarea id="new-ws-description" name="description" rows={3} invalid={!!errors.description} />
          </Field>
        </>
      )}
    </FormDialog>
  );
}
