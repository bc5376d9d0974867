"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailPlus, UserPlus, Users } from "lucide-react";
import { useState } from "react";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { addMemberSchema, inviteMemberSchema, roleSchema, type RoleName } from "@/lib/schemas/workspaces";
import type { MemberDto } from "@/lib/members/member-dto";
import type { InvitationDto } from "@/lib/members/invitations";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { optional } from "@/components/forms/use-schema-form";
import { ErrorBanner } from "@/components/ui/alert";
import { RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDate, formatDateTime, formatRelative } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { OneTimeValue } from "@/components/ui/copy-button";
import { ListRows, SkeletonRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { invitationKeys, memberKeys } from "./keys";

const PAGE_SIZE = 25;
const ROLES = roleSchema.options;

export function MembersSettings({
  workspaceId,
  canManage,
  currentUserId,
}: {
  workspaceId: string;
  canManage: boolean;
  currentUserId: string;
}) {
  const [q, setQ] = useState("");
  const pages = useCursorPages();
  const members = useQuery({
    queryKey: memberKeys.list(workspaceId, q, pages.cursor),
    queryFn: () => api<Page<MemberDto>>(`/workspaces/${workspaceId}/members`, { query: { q, cursor: pages.cursor, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const columns = canManage ? 6 : 5;

  return (
    <div className="space-y-10">
      <section aria-label="Members">
        <SectionHeader
          title="Members"
          description={
            canManage
              ? "People who can sign in to this workspace, and their roles."
              : "People in this workspace. Only Admins can change members."
          }
          actions={
            canManage && (
              <>
                <InviteDialog workspaceId={workspaceId} />
                <AddMemberDialog workspaceId={workspaceId} />
              </>
            )
          }
        />
        <div className="mb-3">
          <SearchInput
            label="Search by name or email"
            value={q}
            onChange={(v) => {
              setQ(v);
              pages.reset();
            }}
          />
        </div>
        <ErrorBanner error={members.error} className="mb-3" />
        <Table label="Members">
          <THead>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Joined</Th>
            <Th>Last sign-in</Th>
            {canManage && (
              <Th className="text-right">
                <span className="sr-only">Actions</span>
              </Th>
            )}
          </THead>
          <tbody>
            <ListRows
              pending={members.isPending}
              items={members.data?.data}
              columns={columns}
              empty={<EmptyState icon={Users} title={q ? "No member matches this search" : "No members"} className="border-0" />}
            >
              {(m) => (
                <MemberRow key={m.id} member={m} workspaceId={workspaceId} canManage={canManage} isSelf={m.userId === currentUserId} />
              )}
            </ListRows>
          </tbody>
        </Table>
        <Pagination
          page={pages.page}
          hasPrev={pages.page > 1}
          nextCursor={members.data?.nextCursor}
          onPrev={pages.prev}
          onNext={pages.next}
        />
      </section>
      {canManage && <Invitations workspaceId={workspaceId} />}
    </div>
  );
}

function MemberRow({
  member,
  workspaceId,
  canManage,
  isSelf,
}: {
  member: MemberDto;
  workspaceId: string;
  canManage: boolean;
  isSelf: boolean;
}) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const changeRole = useMutation({
    mutationFn: (role: RoleName) => api<MemberDto>(`/workspaces/${workspaceId}/members/${member.id}`, { method: "PATCH", body: { role } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all(workspaceId) }),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/workspaces/${workspaceId}/members/${member.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: memberKeys.all(workspaceId) });
    },
  });
  return (
    <Tr>
      <Td className="font-medium text-slate-900">
        {member.name}
        {isSelf && <span className="ml-2 text-xs font-normal text-slate-400">(you)</span>}
      </Td>
      <Td>{member.email}</Td>
      <Td>
        {canManage ? (
          <div className="w-36">
            <Select
              aria-label={`Role for ${member.email}`}
              value={member.role}
              disabled={changeRole.isPending}
              onChange={(e) => changeRole.mutate(e.target.value as RoleName)}
              className="py-1.5"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </Select>
            {changeRole.error && (
              <p role="alert" className="mt-1 max-w-56 text-xs text-red-600">
                {changeRole.error.message}
              </p>
            )}
          </div>
        ) : (
          <RoleBadge role={member.role} />
        )}
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(member.joinedAt)}>{formatDate(member.joinedAt)}</span>
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(member.lastLoginAt)}>{formatRelative(member.lastLoginAt)}</span>
      </Td>
      {canManage && (
        <Td className="text-right">
          <Button variant="ghost" size="sm" onClick={() => setConfirm(true)} aria-label="Remove" title={`Remove ${member.email}`}>
            Remove
          </Button>
          <ConfirmDialog
            open={confirm}
            onOpenChange={(o) => {
              setConfirm(o);
              if (!o) remove.reset();
            }}
            title={`Remove ${member.name}?`}
            description={<p>{member.email} loses access to this workspace. Their account stays and can be added again later.</p>}
            confirmLabel="Remove"
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          >
            <ErrorBanner error={remove.error} className="mt-4" />
          </ConfirmDialog>
        </Td>
      )}
    </Tr>
  );
}

function RoleSelect({ error }: { error?: string }) {
  return (
    <Field label="Role" htmlFor="member-role" error={error}>
      <Select id="member-role" name="role" defaultValue="BUILDER">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </Select>
    </Field>
  );
}

function AddMemberDialog({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={addMemberSchema}
      toInput={(f) => ({
        email: f.get("email"),
        role: f.get("role"),
        name: optional(f.get("name")),
        password: typeof f.get("password") === "string" && f.get("password") !== "" ? f.get("password") : undefined,
      })}
      mutationFn={(input) => api<MemberDto>(`/workspaces/${workspaceId}/members`, { method: "POST", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: memberKeys.all(workspaceId) })}
      title="Add member"
      description="Adds a person directly. They can sign in at once."
      trigger={
        <Button>
          <UserPlus className="size-4" aria-hidden /> Add member
        </Button>
      }
      submitLabel="Add"
    >
      {(errors) => (
        <>
          <Field label="Email" htmlFor="member-email" error={errors.email}>
            <Input id="member-email" name="email" type="email" autoComplete="off" invalid={!!errors.email} autoFocus />
          </Field>
          <RoleSelect error={errors.role} />
          <fieldset className="space-y-4 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
            <legend className="sr-only">New account</legend>
            <p className="text-xs text-slate-600">
              Only needed when no account exists for this email yet: Switchboard then creates one with this name and initial password. Share
              the password with the person in a safe way. An existing account is added as it is.
            </p>
            <Field label="Name" htmlFor="member-name" error={errors.name}>
              <Input id="member-name" name="name" autoComplete="off" invalid={!!errors.name} />
            </Field>
            <Field label="Password" htmlFor="member-password" error={errors.password} hint="At least 10 characters.">
              <Input id="member-password" name="password" type="password" autoComplete="new-password" invalid={!!errors.password} />
            </Field>
          </fieldset>
        </>
      )}
    </FormDialog>
  );
}

function InviteDialog({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={inviteMemberSchema}
      toInput={(f) => ({ email: f.get("email"), role: f.get("role") })}
      mutationFn={(input) =>
        api<InvitationDto & { url: string }>(`/workspaces/${workspaceId}/invitations`, { method: "POST", body: input })
      }
      onSuccess={() => qc.invalidateQueries({ queryKey: invitationKeys.all(workspaceId) })}
      result={{
        render: (invitation) => (
          <>
            <p className="text-sm text-slate-700">
              Send this link to <strong className="font-medium">{invitation.email}</strong>. It is shown only now and expires in 7 days (
              {formatDateTime(invitation.expiresAt)}).
            </p>
            <OneTimeValue value={invitation.url} testId="invitation-url" />
          </>
        ),
      }}
      title="Invite by link"
      description="Creates a single-use link. The person opens it, chooses a name and password, and joins with the role you pick."
      trigger={
        <Button variant="secondary">
          <MailPlus className="size-4" aria-hidden /> Invite by link
        </Button>
      }
      submitLabel="Create invitation"
    >
      {(errors) => (
        <>
          <Field label="Email" htmlFor="invite-email" error={errors.email}>
            <Input id="invite-email" name="email" type="email" autoComplete="off" invalid={!!errors.email} autoFocus />
          </Field>
          <RoleSelect error={errors.role} />
        </>
      )}
    </FormDialog>
  );
}

function Invitations({ workspaceId }: { workspaceId: string }) {
  const invitations = useQuery({
    queryKey: invitationKeys.all(workspaceId),
    queryFn: () => api<Page<InvitationDto>>(`/workspaces/${workspaceId}/invitations`),
  });
  return (
    <section aria-label="Pending invitations">
      <SectionHeader title="Pending invitations" description="Links that have not been used yet. Revoking one makes its link invalid." />
      <ErrorBanner error={invitations.error} className="mb-3" />
      {invitations.data?.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-500">
          No pending invitations.
        </p>
      ) : (
        <Table label="Pending invitations">
          <THead>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <tbody>
            {invitations.isPending ? (
              <SkeletonRows columns={5} rows={2} />
            ) : (
              invitations.data?.data.map((i) => <InvitationRow key={i.id} invitation={i} workspaceId={workspaceId} />)
            )}
          </tbody>
        </Table>
      )}
    </section>
  );
}

function InvitationRow({ invitation, workspaceId }: { invitation: InvitationDto; workspaceId: string }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api<void>(`/workspaces/${workspaceId}/invitations/${invitation.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: invitationKeys.all(workspaceId) });
    },
  });
  return (
    <Tr>
      <Td className="font-medium text-slate-900">{invitation.email}</Td>
      <Td>
        <RoleBadge role={invitation.role} />
      </Td>
      <Td className="whitespace-nowrap text-slate-500">{formatDateTime(invitation.createdAt)}</Td>
      <Td className="whitespace-nowrap text-slate-500">{formatDateTime(invitation.expiresAt)}</Td>
      <Td className="text-right">
        <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
          Revoke
        </Button>
        <ConfirmDialog
          open={confirm}
          onOpenChange={(o) => {
            setConfirm(o);
            if (!o) revoke.reset();
          }}
          title="Revoke invitation?"
          description={<p>The link sent to {invitation.email} stops working at once.</p>}
          confirmLabel="Revoke"
          pending={revoke.isPending}
          onConfirm={() => revoke.mutate()}
        >
          <ErrorBanner error={revoke.error} className="mt-4" />
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}
