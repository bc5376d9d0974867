import { Sidebar } from "@/components/shell/sidebar";
import { workspacesForSwitcher } from "@/lib/workspaces/list-workspaces";
import { loadConsole } from "@/app/(console)/guard";
import { AlertBell } from "@/components/budgets/alert-bell";
import { canOpenPage } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children, params }: { children: React.ReactNode; params: Promise<{ ws: string }> }) {
  const { ws } = await params;
  const { actor, workspace, role, instanceAdmin } = await loadConsole(ws);
  const workspaces = await workspacesForSwitcher(actor);
  return (
    <div className="flex min-h-full">
      <Sidebar
        workspace={{ slug: workspace.slug, name: workspace.name }}
        role={role}
        instanceAdmin={instanceAdmin}
        workspaces={workspaces}
        user={{ name: actor.name, email: actor.email }}
      />
      <main className="min-w-0 flex-1">
        {canOpenPage("budgets", { role, instanceAdmin }) && (
          <header className="flex justify-end px-6 pt-3 lg:px-10">
            <AlertBell workspaceId={workspace.id} workspaceSlug={workspace.slug} />
          </header>
        )}
        <div className="mx-auto max-w-6xl px-6 py-8 lg:px-10">{children}</div>
      </main>
    </div>
  );
}
