"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellRing, Wallet } from "lucide-react";
import { useState } from "react";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { optional } from "@/components/forms/use-schema-form";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { OneTimeValue } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { virtualKeyKeys } from "@/components/keys/keys";
import {
  BUDGET_ACTION_LABELS,
  setAlertWebhookSchema,
  updateWorkspaceBudgetSchema,
  type BudgetAction,
  type BudgetAlertDto,
  type BudgetStatusDto,
  type KeyBudgetDto,
} from "@/lib/schemas/budgets";
import { updateVirtualKeySchema } from "@/lib/schemas/virtual-keys";
import { BudgetBar } from "./budget-bar";
import { alertTitle, spendTone, usd } from "./format";
import { budgetKeys } from "./keys";

const card = "rounded-lg bg-white p-5 ring-1 ring-slate-200";

export function BudgetsPage({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const status = useQuery({
    queryKey: budgetKeys.status(workspaceId),
    queryFn: () => api<BudgetStatusDto>(`/workspaces/${workspaceId}/budget`),
  });
  return (
    <>
      <PageHeader
        title="Budgets"
        description="Monthly spend limits for the workspace and its API keys. Alerts arrive at 50, 80 and 100 % (here, in the bell, and optionally as a signed webhook); at 100 % a budget either only notifies or blocks gateway calls until the next month (UTC)."
      />
      <ErrorBanner error={status.error} className="mb-4" />
      {status.data && (
        <div className="space-y-8">
          <WorkspaceBudget s={status.data} canManage={canManage} />
          <KeyBudgets s={status.data} canManage={canManage} />
          <AlertWebhook s={status.data} canManage={canManage} />
          <AlertHistory workspaceId={workspaceId} />
        </div>
      )}
    </>
  );
}

function ActionSelect({ id, value, error }: { id: string; value: BudgetAction; error?: string }) {
  return (
    <Field label="At 100 %" htmlFor={id} error={error}>
      <Select id={id} name="action" defaultValue={value}>
        <option value="notify">{BUDGET_ACTION_LABELS.notify}</option>
        <option value="block">{BUDGET_ACTION_LABELS.block}</option>
      </Select>
    </Field>
  );
}

function WorkspaceBudget({ s, canManage }: { s: BudgetStatusDto; canManage: boolean }) {
  const qc = useQueryClient();
  return (
    <section aria-labelledby="ws-budget" className={card}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="ws-budget" className="text-base font-semibold text-slate-900">
            Workspace budget · {s.month}
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {s.monthlyBudgetUsd === null ? (
              "No monthly budget: spend is not limited."
            ) : (
              <>
                <span data-testid="ws-spent" className="font-medium text-slate-900">
                  {usd(s.spentUsd)}
                </span>{" "}
                of <span data-testid="ws-budget-amount">{usd(s.monthlyBudgetUsd)}</span> spent ({s.percent} %) ·{" "}
                <Badge tone={s.action === "block" ? "red" : "slate"}>{BUDGET_ACTION_LABELS[s.action]}</Badge>
              </>
            )}
          </p>
        </div>
        {canManage && (
          <FormDialog
            schema={updateWorkspaceBudgetSchema}
            toInput={(f) => ({ monthlyBudgetUsd: optional(f.get("monthlyBudgetUsd")) ?? null, action: f.get("action") })}
            mutationFn={(input) => api<BudgetStatusDto>(`/workspaces/${s.workspaceId}/budget`, { method: "PATCH", body: input })}
            onSuccess={(data) => qc.setQueryData(budgetKeys.status(s.workspaceId), data)}
            title="Workspace budget"
            description="USD per calendar month (UTC) for every call of this workspace."
            trigger={<Button variant="secondary">{s.monthlyBudgetUsd === null ? "Set budget" : "Edit budget"}</Button>}
            submitLabel="Save budget"
          >
            {(errors) => (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Monthly budget (USD)" htmlFor="ws-budget-input" error={errors.monthlyBudgetUsd} hint="Empty: no budget.">
                  <Input
                    id="ws-budget-input"
                    name="monthlyBudgetUsd"
                    inputMode="decimal"
                    defaultValue={s.monthlyBudgetUsd ? String(Number(s.monthlyBudgetUsd)) : undefined}
                    autoFocus
                  />
                </Field>
                <ActionSelect id="ws-budget-action" value={s.action} error={errors.action} />
              </div>
            )}
          </FormDialog>
        )}
      </div>
      {s.percent !== null && <BudgetBar percent={s.percent} label="Workspace budget used" />}
    </section>
  );
}

function KeyBudgets({ s, canManage }: { s: BudgetStatusDto; canManage: boolean }) {
  return (
    <section aria-labelledby="key-budgets">
      <SectionHeader
        title="Key budgets"
        description="API keys with a monthly budget of their own. Set or remove one on the API keys page."
      />
      <h2 id="key-budgets" className="sr-only">
        Key budgets
      </h2>
      <Table label="Key budgets">
        <THead>
          <Th>Key</Th>
          <Th className="text-right">Budget</Th>
          <Th>At 100 %</Th>
          <Th className="text-right">Spent</Th>
          <Th className="text-right">Used</Th>
          {canManage && (
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </THead>
        <tbody>
          <ListRows
            pending={false}
            items={s.keys}
            columns={canManage ? 6 : 5}
            empty={<EmptyState icon={Wallet} title="No key has a budget" className="border-0" />}
          >
            {(k) => (
              <Tr key={k.id}>
                <Td className="font-medium text-slate-900">{k.name}</Td>
                <Td className="text-right tabular-nums">{usd(k.monthlyBudgetUsd)}</Td>
                <Td>{BUDGET_ACTION_LABELS[k.action]}</Td>
                <Td className="text-right tabular-nums">{usd(k.spentUsd)}</Td>
                <Td className="text-right">
                  <Badge tone={spendTone(k.percent)}>{k.percent} %</Badge>
                </Td>
                {canManage && (
                  <Td className="text-right">
                    <EditKeyBudget k={k} workspaceId={s.workspaceId} />
                  </Td>
                )}
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
    </section>
  );
}

function EditKeyBudget({ k, workspaceId }: { k: KeyBudgetDto; workspaceId: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateVirtualKeySchema.pick({ monthlyBudgetUsd: true, budgetAction: true })}
      toInput={(f) => ({ monthlyBudgetUsd: optional(f.get("monthlyBudgetUsd")) ?? null, budgetAction: f.get("action") })}
      mutationFn={(input) => api(`/keys/${k.id}`, { method: "PATCH", query: { workspaceId }, body: input })}
      onSuccess={() => {
        qc.invalidateQueries({ queryKey: budgetKeys.status(workspaceId) });
        qc.invalidateQueries({ queryKey: virtualKeyKeys.all(workspaceId) });
      }}
      title={`Budget of ${k.name}`}
      trigger={
        <Button variant="ghost" size="sm">
          Edit
        </Button>
      }
      submitLabel="Save budget"
    >
      {(errors) => (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Monthly budget (USD)" htmlFor={`kb-${k.id}`} error={errors.monthlyBudgetUsd} hint="Empty: no budget.">
            <Input
              id={`kb-${k.id}`}
              name="monthlyBudgetUsd"
              inputMode="decimal"
              defaultValue={String(Number(k.monthlyBudgetUsd))}
              autoFocus
            />
          </Field>
          <ActionSelect id={`kb-action-${k.id}`} value={k.action} error={errors.budgetAction} />
        </div>
      )}
    </FormDialog>
  );
}

function AlertWebhook({ s, canManage }: { s: BudgetStatusDto; canManage: boolean }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: budgetKeys.status(s.workspaceId) });
  const test = useMutation({
    mutationFn: () =>
      api<{ ok: true; status: number } | { ok: false; error: string }>(`/workspaces/${s.workspaceId}/budget/webhook/test`, {
        method: "POST",
      }),
  });
  const clear = useMutation({
    mutationFn: () => api(`/workspaces/${s.workspaceId}/budget/webhook`, { method: "DELETE" }),
    onSuccess: () => (setConfirm(false), refresh()),
  });
  return (
    <section aria-labelledby="alert-webhook" className={card}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="alert-webhook" className="text-base font-semibold text-slate-900">
            Alert webhook
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            Each alert is also POSTed as JSON (<code className="font-mono text-xs">type: budget.threshold</code>), signed the Standard
            Webhooks way (headers webhook-id, webhook-timestamp, webhook-signature).
          </p>
          {s.alertWebhookUrl ? (
            <p className="mt-2 text-sm">
              <code data-testid="webhook-url" className="font-mono text-xs break-all text-slate-800">
                {s.alertWebhookUrl}
              </code>
              <span className="ml-2 text-xs text-slate-500">secret {s.alertWebhookSecretMask}</span>
            </p>
          ) : (
            <p className="mt-2 text-sm text-slate-500">No webhook: alerts are shown in the console only.</p>
          )}
        </div>
        {canManage && (
          <div className="flex shrink-0 gap-2">
            {s.alertWebhookUrl && (
              <>
                <Button variant="secondary" onClick={() => test.mutate()} pending={test.isPending}>
                  Send test
                </Button>
                <Button variant="ghost" onClick={() => setConfirm(true)}>
                  Clear
                </Button>
              </>
            )}
            <FormDialog
              schema={setAlertWebhookSchema}
              toInput={(f) => ({ url: f.get("url"), secret: optional(f.get("secret")) })}
              mutationFn={(input) =>
                api<{ url: string; secret: string | null; secretMask: string }>(`/workspaces/${s.workspaceId}/budget/webhook`, {
                  method: "PUT",
                  body: input,
                })
              }
              onSuccess={refresh}
              result={{
                heading: { title: "Webhook saved" },
                render: (r) =>
                  r.secret ? (
                    <div className="space-y-2 text-sm text-slate-600">
                      <p>Give your receiver this signing secret. It is shown only now.</p>
                      <OneTimeValue value={r.secret} testId="webhook-secret" />
                    </div>
                  ) : (
                    <p className="text-sm text-slate-600">Alerts are signed with the secret you gave.</p>
                  ),
              }}
              title="Alert webhook"
              description="The URL must be reachable from this server (private addresses only when the operator allows them). Leave the secret empty to have one generated."
              trigger={<Button variant="secondary">{s.alertWebhookUrl ? "Change" : "Set webhook"}</Button>}
              submitLabel="Save webhook"
              autoComplete="off"
            >
              {(errors) => (
                <>
                  <Field label="URL" htmlFor="webhook-url-input" error={errors.url}>
                    <Input id="webhook-url-input" name="url" type="url" defaultValue={s.alertWebhookUrl ?? undefined} autoFocus />
                  </Field>
                  <Field
                    label="Signing secret (optional)"
                    htmlFor="webhook-secret-input"
                    error={errors.secret}
                    hint="whsec_… Empty: a new one is generated and shown once."
                  >
                    <Input id="webhook-secret-input" name="secret" type="password" autoComplete="off" />
                  </Field>
                </>
              )}
            </FormDialog>
          </div>
        )}
      </div>
      <ErrorBanner error={test.error} className="mt-3" />
      {test.data &&
        (test.data.ok ? (
          <SuccessNote className="mt-3">Test delivered (HTTP {test.data.status}).</SuccessNote>
        ) : (
          <ErrorBanner error={new Error(`Test failed: ${test.data.error}`)} className="mt-3" />
        ))}
      <ConfirmDialog
        open={confirm}
        onOpenChange={(o) => (setConfirm(o), o || clear.reset())}
        title="Clear the alert webhook?"
        description="Alerts stop being posted and the signing secret is destroyed."
        confirmLabel="Clear webhook"
        pending={clear.isPending}
        onConfirm={() => clear.mutate()}
      >
        <ErrorBanner error={clear.error} className="mt-4" />
      </ConfirmDialog>
    </section>
  );
}

function AlertHistory({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: budgetKeys.alertPage(workspaceId, pages.cursor, 20),
    queryFn: () => api<Page<BudgetAlertDto> & { unread: number }>("/alerts", { query: { workspaceId, cursor: pages.cursor, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
  // No ids: every alert of the workspace; one id: that alert (the row's button).
  const markRead = useMutation({
    mutationFn: (ids?: string[]) => api("/alerts/read", { method: "POST", query: { workspaceId }, body: ids ? { ids } : {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: budgetKeys.all(workspaceId) }),
  });
  const markingAll = markRead.isPending && !markRead.variables;
  return (
    <section aria-labelledby="alert-history">
      <SectionHeader
        title="Alert history"
        actions={
          !!list.data?.unread && (
            <Button variant="secondary" size="sm" onClick={() => markRead.mutate(undefined)} pending={markingAll}>
              Mark all read
            </Button>
          )
        }
      />
      <h2 id="alert-history" className="sr-only">
        Alert history
      </h2>
      <ErrorBanner error={list.error ?? markRead.error} className="mb-3" />
      <Table label="Budget alerts">
        <THead>
          <Th>Alert</Th>
          <Th className="text-right">Spent</Th>
          <Th className="text-right">Budget</Th>
          <Th>At 100 %</Th>
          <Th>Webhook</Th>
          <Th>When</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={6}
            empty={
              <EmptyState icon={BellRing} title="No alerts yet" className="border-0">
                <p>An alert appears when month-to-date spend reaches 50, 80 or 100 % of a budget.</p>
              </EmptyState>
            }
          >
            {(a) => (
              <Tr key={a.id}>
                <Td className={a.read ? "text-slate-600" : "font-medium text-slate-900"}>
                  {alertTitle(a)}
                  {!a.read && (
                    <>
                      <Badge tone="brand" className="ml-2">
                        new
                      </Badge>
                      <Button
                        variant="ghost"
                        size="sm"
                        className="ml-1"
                        aria-label={`Mark "${alertTitle(a)}" read`}
                        onClick={() => markRead.mutate([a.id])}
                        pending={markRead.isPending && markRead.variables?.[0] === a.id}
                      >
                        Mark read
                      </Button>
                    </>
                  )}
                </Td>
                <Td className="text-right tabular-nums">{usd(a.spentUsd)}</Td>
                <Td className="text-right tabular-nums">{usd(a.budgetUsd)}</Td>
                <Td>{BUDGET_ACTION_LABELS[a.action]}</Td>
                <Td>
                  {a.webhookStatus === null ? (
                    <span className="text-slate-400">—</span>
                  ) : (
                    <span title={a.webhookError ?? undefined}>
                      <Badge tone={a.webhookStatus === "delivered" ? "green" : "red"}>{a.webhookStatus}</Badge>
                    </span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDateTime(a.createdAt)}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </section>
  );
}
