"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Plus, Workflow } from "lucide-react";
import { useState } from "react";
import { createWorkspaceSchema } from "@/lib/schemas/workspaces";
import type { WorkspaceDto } from "@/lib/workspaces/workspace-dto";
import { api, type Page } from "@/components/api/client";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Textarea } from "@/components/ui/field";
import { formatDate } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { SkeletonRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
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
          {list.isPending ? (
            <SkeletonRows columns={5} />
          ) : list.data?.data.length === 0 ? (
            <tr>
              <Td colSpan={5}>
                <EmptyState icon={Workflow} title="No workspace matches this search" className="border-0" />
              </Td>
            </tr>
          ) : (
            list.data?.data.map((w) => (
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
            ))
          )}
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </section>
  );
}

function CreateWorkspaceDialog({ initiallyOpen, onCreated }: { initiallyOpen: boolean; onCreated: (w: WorkspaceDto) => void }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [open, setOpen] = useState(initiallyOpen);
  const form = useSchemaForm(createWorkspaceSchema, (f) => ({ name: f.get("name"), description: f.get("description") }));
  const create = useMutation({
    mutationFn: (input: unknown) => api<WorkspaceDto>("/workspaces", { method: "POST", body: input }),
    onSuccess: (w) => {
      setOpen(false);
      onCreated(w);
      qc.invalidateQueries({ queryKey: workspaceKeys.all });
      // The switcher in the sidebar is server-rendered.
      router.refresh();
    },
    onError: form.fail,
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) form.reset();
      }}
      title="Create workspace"
      description="You become its first Admin. Add members afterwards in its settings."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Create workspace
        </Button>
      }
    >
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const input = form.parse(e.currentTarget);
          if (input) create.mutate(input);
        }}
      >
        <ErrorBanner error={form.formError} />
        <Field label="Name" htmlFor="new-ws-name" error={form.errors.name}>
          <Input id="new-ws-name" name="name" autoComplete="off" invalid={!!form.errors.name} autoFocus />
        </Field>
        <Field label="Description" htmlFor="new-ws-description" error={form.errors.description}>
          <Textarea id="new-ws-description" name="description" rows={3} invalid={!!form.errors.description} />
        </Field>
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={create.isPending}>
            Create
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
