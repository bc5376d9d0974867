import { SETTINGS_TABS, visible } from "@/components/shell/nav";
import { TabBar } from "@/components/shell/tab-bar";
import { PageHeader } from "@/components/ui/page-header";
import { loadConsole } from "@/app/(console)/guard";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ ws: string }> }) {
  const { ws } = await params;
  const { workspace, role, instanceAdmin } = await loadConsole(ws);
  const base = `/w/${workspace.slug}`;
  const tabs = visible(SETTINGS_TABS, { role, instanceAdmin }).map((t) => ({
    label: t.label,
    href: `${base}${t.href}`,
    exact: t.href === "/settings",
  }));
  return (
    <>
      <PageHeader
        title="Settings"
        description={instanceAdmin ? `Manage ${workspace.name} and this Switchboard installation.` : `Manage ${workspace.name}.`}
      />
      <TabBar tabs={tabs} label="Settings" />
      {children}
    </>
  );
}
